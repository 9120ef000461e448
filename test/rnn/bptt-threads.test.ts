// The native kernels with their products split across two threads (src/native/threads.ts) equal
// the autodiff reference exactly as on one thread: the equality cases of bptt.test.ts, with every
// product split, however small (minPartFlops 0).
import { afterAll, beforeAll } from 'vitest';
import { setNativeThreads } from '../../src/index.ts';
import { describeEquality } from './bptt-cases.ts';

beforeAll(() => setNativeThreads(2, { minPartFlops: 0 }));
afterAll(() => setNativeThreads(1));

describeEquality('native', "kernel 'native' on 2 threads equals the autodiff reference");
