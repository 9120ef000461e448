/**
 * The `sori` command line. Each subcommand lives in its own file under src/cli/ and is
 * registered here; every one accepts `--backend node|wasm|cpu` (or SORI_BACKEND).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BACKENDS, initBackend } from '../index.ts';
import { infoCommand } from './info.ts';
import { runRecipe } from './recipe.ts';
import { scoreCommand } from './score.ts';
import { mfccCommand } from './mfcc.ts';
import { transcribeCommand } from './transcribe.ts';
import { translateCommand } from './translate.ts';
import { forecastCommand } from './forecast.ts';
import { classifyCommand } from './classify.ts';

const args = hideBin(process.argv);
if (args[0] === 'recipe') {
  // Recipes parse their own flags (stages and config overrides); only --backend is taken here.
  const rest = args.slice(2);
  const b = rest.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  let backend: string | undefined;
  if (b >= 0) {
    backend = rest[b].includes('=') ? rest[b].split('=')[1] : rest[b + 1];
    rest.splice(b, rest[b].includes('=') ? 1 : 2);
  }
  try {
    const info = await initBackend(backend);
    console.log(`backend: ${info.name}`);
    await runRecipe(args[1], rest);
  } catch (err) {
    console.error(`sori: ${(err as Error).message}`);
    process.exit(1);
  }
  process.exit(0);
}

await yargs(args)
  .scriptName('sori')
  .option('backend', {
    type: 'string',
    choices: BACKENDS as unknown as string[],
    describe: 'tensor backend (default: SORI_BACKEND, else node → wasm → cpu, the first that loads)',
  })
  .middleware(async (argv) => {
    await initBackend(argv.backend as string | undefined);
  })
  .command(infoCommand)
  .command(transcribeCommand)
  .command(translateCommand)
  .command(classifyCommand)
  .command(scoreCommand)
  .command(mfccCommand)
  .command(forecastCommand)
  .command('recipe <name> [flags..]', 'Run a recipe: sori recipe NAME [--stage N] [--stop-stage N] [--resume] [--section.key=value]')
  .demandCommand(1, 'name a command (sori --help lists them)')
  .strict()
  .fail((msg, err) => {
    console.error(`sori: ${err?.message ?? msg}`);
    process.exit(1);
  })
  .help()
  .parseAsync();
