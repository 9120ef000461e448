/**
 * Worker threads that call exports of one WebAssembly module instantiated on one shared memory
 * (Node's worker_threads): the main thread hands worker i a call — an export's name and integer
 * arguments, pointers into the shared memory — runs its own share meanwhile, then waits for all.
 * A call that no worker has started by then (its worker is not scheduled: a busy machine, or it
 * is still starting up) the main thread takes back and runs itself, so a thread never waits for
 * work that has not begun.
 *
 * Each worker has a slot of SLOT int32 in the shared memory; the hand-over is by Atomics, with no
 * message round-trip:
 *
 *   slot[0] job number     main: writes the call, then increments it and notifies
 *   slot[1] done number    worker: sets it to the job number when the call returned, notifies;
 *                          −1 when it leaves on −1 below, or ended otherwise (a call waited for
 *                          is then an error); after leaving it touches the memory no more
 *   slot[2] export         index into `exports` (below), −1: leave the loop and end
 *   slot[3] status         0 ok, 1 the call threw (the worker posts the message on its port)
 *   slot[4] claimed        the last job number claimed, by compare-exchange from job − 1 to job:
 *                          whoever wins (the worker, or the main thread taking it back) runs it
 *   slot[5 …] arguments    up to SLOT − 5 int32
 *
 * Both sides spin for SPIN_MS before sleeping in Atomics.wait, so that calls following each
 * other closely (a product split at every step of a loop) do not pay a wake-up (tens of µs) each.
 * Workers are unref'd: they never keep the process alive.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

const SLOT = 16;
/** Milliseconds a thread spins on the slot before it sleeps. */
const SPIN_MS = 0.2;
/** Milliseconds close() waits for the workers to leave (a worker still starting up first starts). */
const CLOSE_MS = 10_000;

/** Spin until `slot[index]` is no longer `value` or SPIN_MS passed (a clock read every 256 loads); the worker has a copy. */
function spin(slot: Int32Array, index: number, value: number): void {
  const end = performance.now() + SPIN_MS;
  for (let i = 1; Atomics.load(slot, index) === value; i++) if ((i & 255) === 0 && performance.now() > end) return;
}

/** What a worker runs (CommonJS source: it works alike from the TypeScript sources, tests and dist). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, slotAddress, stackTop, exportNames, port } = workerData;
function spin(slot, index, value) { // as spin() below
  const end = performance.now() + ${SPIN_MS};
  for (let i = 1; Atomics.load(slot, index) === value; i++) if ((i & 255) === 0 && performance.now() > end) return;
}
const slot = new Int32Array(memory.buffer, slotAddress, ${SLOT});
let leaving = false;
process.on('exit', () => {
  if (leaving) return; // the slot may belong to someone else by now
  Atomics.store(slot, 1, -1);
  Atomics.notify(slot, 1);
});
let calls = null;
let failure = '';
try {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  exports.__stack_pointer.value = stackTop; // a stack of its own in the shared memory
  calls = exportNames.map((name) => exports[name]);
} catch (err) {
  failure = 'could not instantiate the module: ' + (err && err.message);
}
let seen = 0;
for (;;) {
  spin(slot, 0, seen);
  Atomics.wait(slot, 0, seen);
  seen = Atomics.load(slot, 0);
  if (Atomics.compareExchange(slot, 4, seen - 1, seen) !== seen - 1) continue; // the main thread took it back
  const which = slot[2];
  if (which < 0) {
    leaving = true;
    Atomics.store(slot, 1, -1);
    Atomics.notify(slot, 1);
    break;
  }
  try {
    if (!calls) throw new Error(failure);
    calls[which](...slot.subarray(5, ${SLOT}));
    slot[3] = 0;
  } catch (err) {
    slot[3] = 1;
    port.postMessage(exportNames[which] + ': ' + (err && err.message));
  }
  Atomics.store(slot, 1, seen);
  Atomics.notify(slot, 1);
}
port.close();
`;

export interface ThreadPool {
  /** Number of workers. */
  readonly size: number;
  /** Start `exports[which](...args)` on worker i (one call per worker at a time). */
  start(i: number, which: number, args: number[]): void;
  /**
   * Wait until every started call has returned; a call that threw is a NativeThreadError. With
   * `local` (the same exports on this thread), a call no worker has begun runs here instead.
   */
  wait(local?: ((...args: number[]) => void)[]): void;
  /**
   * End the workers: each leaves its loop and says so. True when all did within CLOSE_MS; only
   * then may the slots and stacks be reused.
   */
  close(): boolean;
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  view: Int32Array;
  job: number;
  busy: boolean;
  which: number;
  args: number[];
}

/** An error raised by a call on a worker thread, named by the thread and the call. */
export function nativeThreadError(message: string): Error {
  const err = new Error(message);
  err.name = 'NativeThreadError';
  return err;
}

/**
 * Start `size` workers, each instantiating `module` on `memory`.
 *
 * @param slots   byte address of size · SLOT int32 in `memory` for the hand-over
 * @param stacks  top addresses (16-byte aligned) of one stack per worker in `memory`
 * @param exportNames the exports `start` may call, by index
 */
export function startThreadPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  size: number,
  slots: number,
  stacks: number[],
  exportNames: string[],
): ThreadPool {
  const pool: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const slotAddress = slots + 4 * SLOT * i;
    const view = new Int32Array(memory.buffer, slotAddress, SLOT);
    view.fill(0);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [], // not the parent's (--input-type=module would make this source a module)
      workerData: { module, memory, slotAddress, stackTop: stacks[i], exportNames, port: port2 },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    pool.push({ worker, port: port1, view, job: 0, busy: false, which: 0, args: [] });
  }
  let closed = false;

  return {
    size,
    start(i, which, args) {
      if (closed) throw nativeThreadError('native threads: the pool was closed');
      const s = pool[i];
      if (args.length > SLOT - 5) throw new Error(`ThreadPool.start: at most ${SLOT - 5} arguments, got ${args.length}`);
      s.view[2] = which;
      s.view.set(args, 5);
      s.job++;
      s.busy = true;
      s.which = which;
      s.args = args;
      Atomics.store(s.view, 0, s.job);
      Atomics.notify(s.view, 0);
    },
    wait(local) {
      const failures: string[] = [];
      let failure: unknown = null; // of a call taken back, raised as it is
      if (local) {
        for (const s of pool) {
          if (!s.busy || Atomics.compareExchange(s.view, 4, s.job - 1, s.job) !== s.job - 1) continue;
          s.busy = false; // no worker began it: run it here
          try {
            local[s.which](...s.args);
          } catch (err) {
            failure ??= err;
          }
        }
      }
      pool.forEach((s, i) => {
        if (!s.busy) return;
        const before = Atomics.load(s.view, 1);
        if (before !== s.job) spin(s.view, 1, before); // until the worker's done number moves
        let done: number;
        while ((done = Atomics.load(s.view, 1)) !== s.job && done !== -1) Atomics.wait(s.view, 1, done, 1000);
        s.busy = false;
        if (done === -1) failures.push(`native thread ${i + 1}: the worker ended`);
        else if (s.view[3] !== 0) {
          const message = receiveMessageOnPort(s.port)?.message ?? 'failed (no message)';
          failures.push(`native thread ${i + 1}: ${message}`);
        }
      });
      if (failures.length) throw nativeThreadError(failures.join('; '));
      if (failure) throw failure;
    },
    close() {
      if (closed) return true;
      closed = true;
      for (const s of pool) {
        s.view[2] = -1;
        Atomics.store(s.view, 0, ++s.job);
        Atomics.notify(s.view, 0);
        s.port.close();
      }
      const end = performance.now() + CLOSE_MS;
      for (const s of pool) {
        let done: number;
        while ((done = Atomics.load(s.view, 1)) !== -1) {
          const left = end - performance.now();
          if (left <= 0) return false;
          Atomics.wait(s.view, 1, done, left);
        }
      }
      return true;
    },
  };
}

/** int32 per worker that startThreadPool's `slots` must hold. */
export const THREAD_SLOT_INTS = SLOT;
