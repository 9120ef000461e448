// The native kernels with their products split across two threads (src/native/threads.ts) equal
// the autodiff reference exactly as on one thread: the equality cases of bptt.test.ts, with every
// product split, however small (minPartFlops 0); and they leak neither tensors nor module memory.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { setNativeThreads } from '../../src/index.ts';
import { CONFIGS, describeEquality, expectSame } from './bptt-cases.ts';
import { expectNoGrowth } from './helpers.ts';

beforeAll(() => setNativeThreads(2, { minPartFlops: 0, takeBack: false })); // every product split, the workers' parts run by them
afterAll(() => setNativeThreads(1));

if (!(process.env.SORI_NATIVE === '0')) describeEquality('native', { threads: 2 }); // the variant loaded (test/native/threads.test.ts splits products on each)

describe.skipIf(process.env.SORI_NATIVE === '0')("kernel 'native' on 2 threads", () => {
  // H = 9: a step's product a_t [B, k·H] is 3 rows by up to 36 columns: split by panels of columns
  for (const [name, config] of CONFIGS) {
    it(`${name}: hidden size 9, the per-step products split by columns, ragged lengths`, () => {
      expectSame(config, 'native', { numLayers: 1, bidirectional: true, lengths: [6, 3, 5], hiddenSize: 9 });
    });
  }

  it('gives back its module memory and tensors after inference and training steps', () => {
    expectNoGrowth({ cell: 'gru', gruForm: 'lecture' });
  });
});
