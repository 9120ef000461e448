/**
 * The `sori` command line. Each subcommand lives in its own file under src/cli/ and is
 * registered here with one `.command(…)` line; every one accepts `--backend node|wasm|cpu` (or
 * SORI_BACKEND) and `-h`/`--help`. Shared helpers: pipe.ts (broken pipes), dash.ts and stdin.ts
 * ('-' for standard input), json.ts (--json).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BACKENDS, initBackend } from '../index.ts';
import { bleuCommand } from './bleu.ts';
import { keepDashes, restoreDashes } from './dash.ts';
import { infoCommand } from './info.ts';
import { mfccCommand } from './mfcc.ts';
import { exitQuietlyOnBrokenPipe } from './pipe.ts';
import { plotCommand } from './plot.ts';
import { recipeMain } from './recipe.ts';
import { scoreCommand } from './score.ts';
import { transcribeCommand } from './transcribe.ts';
import { translateCommand } from './translate.ts';
import { forecastCommand } from './forecast.ts';
import { classifyCommand } from './classify.ts';
import { captionCommand } from './caption.ts';

exitQuietlyOnBrokenPipe();

const args = hideBin(process.argv);
if (args[0] === 'recipe') {
  // Recipes parse their own flags (stages and config overrides); see recipe.ts.
  try {
    await recipeMain(args.slice(1));
  } catch (err) {
    console.error(`sori: ${(err as Error).message}`);
    process.exit(1);
  }
  process.exit(0);
}

await yargs(keepDashes(args))
  .scriptName('sori')
  .option('backend', {
    type: 'string',
    choices: BACKENDS as unknown as string[],
    describe: 'tensor backend (default: SORI_BACKEND, else node → wasm → cpu, the first that loads)',
  })
  .middleware(restoreDashes, true)
  .middleware(async (argv) => {
    await initBackend(argv.backend as string | undefined);
  })
  .command(infoCommand)
  .command(transcribeCommand)
  .command(translateCommand)
  .command(classifyCommand)
  .command(captionCommand)
  .command(scoreCommand)
  .command(bleuCommand)
  .command(mfccCommand)
  .command(forecastCommand)
  .command(plotCommand)
  .command('recipe <name> [flags..]', 'Run a recipe: sori recipe NAME [--stage N] [--stop-stage N] [--force] [--resume] [--section.key=value] (sori recipe NAME --help lists its stages and config)')
  .demandCommand(1, 'name a command (sori --help lists them)')
  .strict()
  .fail((msg, err) => {
    console.error(`sori: ${err?.message ?? msg}`);
    process.exit(1);
  })
  .help()
  .alias('h', 'help')
  .parseAsync();
