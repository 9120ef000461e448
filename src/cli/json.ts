/**
 * `--json`: the machine-readable form of a command's answer, on standard output. One JSON
 * document per line (JSON Lines) when a command answers once per input.
 */

/** Write `value` as one line of JSON on standard output. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** The yargs option every command with a machine-readable answer shares. */
export const jsonOption = {
  type: 'boolean',
  default: false,
  describe: 'print the answer as JSON on standard output',
} as const;
