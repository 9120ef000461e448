/**
 * Side outputs (`--attention` JSON and the like) are written after the main output (the lines
 * on standard output) and can fail on their own (a full disk, a bad path): the failure is
 * reported on standard error naming the flag, the path and the cause, and the exit status is 1,
 * but the main output is never lost with it.
 */

/**
 * Run `write`, the writing of side output `flag`; on failure return the message that names it
 * (and `kept`, what was still written), else null.
 */
export function trySideOutput(flag: string, write: () => void, kept: string): string | null {
  try {
    write();
    return null;
  } catch (err) {
    return `${flag}: ${(err as Error).message}; ${kept}`;
  }
}

/** Report a failed side output on standard error and make the exit status 1. */
export function reportSideOutputFailure(command: string, message: string): void {
  process.stderr.write(`sori ${command}: ${message}\n`);
  process.exitCode = 1;
}
