/*
 * The kernels of kernels.c built for threads (src/native/threads.ts, Node): the module imports a
 * shared memory (a SharedArrayBuffer) that the main thread and every worker instantiate it on,
 * so a worker computes rows of a product in place; each instance has its own stack (threads.ts
 * sets __stack_pointer in a worker to a block of the heap). Same source, same arithmetic: every
 * product is the same sum in the same order as in kernels.wasm.
 *
 * build flags: -matomics -mmutable-globals -Wl,--shared-memory -Wl,--import-memory -Wl,--initial-memory=1048576 -Wl,--max-memory=4294967296 -Wl,--export=__stack_pointer
 */
#include "kernels.c"
