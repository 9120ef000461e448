/**
 * Broken pipes: `sori transcribe … | head -2` closes our standard output early. Unix tools then
 * stop quietly with status 0; without a listener Node turns the EPIPE into an uncaught exception
 * (which tfjs-backend-wasm's Emscripten handler rethrows with its whole minified source).
 */

/** End the process quietly with status 0 when `stream`'s reader has gone away (EPIPE). */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
