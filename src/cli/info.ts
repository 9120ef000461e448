/** `sori info`: which tensor backend and RNN kernel sori runs on, and the versions around it. */
import * as tf from '@tensorflow/tfjs';
import type { CommandModule } from 'yargs';
import { backendInfo, defaultRnnKernel, nativeKernelUnavailable } from '../index.ts';

export const infoCommand: CommandModule = {
  command: 'info',
  describe: 'Print the tensor backend in use and library versions',
  handler: () => {
    const info = backendInfo();
    console.log(`backend\t${info?.name ?? 'none'} (tfjs: ${info?.tfName ?? '-'})`);
    for (const s of info?.skipped ?? []) console.log(`skipped\t${s.name}: ${s.reason}`);
    const why = nativeKernelUnavailable();
    console.log(`rnn\tkernel ${defaultRnnKernel()}${why ? ` (native: ${why})` : ' (WebAssembly SIMD, src/native)'}`);
    console.log(`tfjs\t${tf.version.tfjs}`);
    console.log(`node\t${process.version}`);
  },
};
