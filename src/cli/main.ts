/**
 * The `sori` command line. Each subcommand lives in its own file under src/cli/ and is
 * registered here; every one accepts `--backend node|wasm|cpu` (or SORI_BACKEND).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BACKENDS, initBackend } from '../backend.ts';
import { infoCommand } from './info.ts';

await yargs(hideBin(process.argv))
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
  .demandCommand(1, 'name a command (sori --help lists them)')
  .strict()
  .fail((msg, err) => {
    console.error(`sori: ${err?.message ?? msg}`);
    process.exit(1);
  })
  .help()
  .parseAsync();
