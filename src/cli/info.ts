/** `sori info [--json]`: which tensor backend and RNN kernel sori runs on, and the versions around it. */
import * as tf from '@tensorflow/tfjs';
import type { CommandModule } from 'yargs';
import { backendInfo, defaultRnnKernel, nativeKernelUnavailable, nativeKernelsVariant, nativeThreads } from '../index.ts';
import { jsonOption, printJson } from './json.ts';

export const infoCommand: CommandModule<object, { json: boolean }> = {
  command: 'info',
  describe: 'Print the tensor backend in use and library versions',
  builder: (y) => y.option('json', { ...jsonOption, describe: 'print { backend, tfjsBackend, skipped, rnnKernel, nativeUnavailable, nativeVariant, nativeThreads, tfjs, node } as JSON' }),
  handler: (argv) => {
    const info = backendInfo();
    const why = nativeKernelUnavailable();
    if (argv.json) {
      printJson({
        backend: info?.name ?? null,
        tfjsBackend: info?.tfName ?? null,
        skipped: info?.skipped ?? [],
        rnnKernel: defaultRnnKernel(),
        nativeUnavailable: why ?? null,
        nativeVariant: nativeKernelsVariant(),
        nativeThreads: nativeThreads(),
        tfjs: tf.version.tfjs,
        node: process.version,
      });
      return;
    }
    console.log(`backend\t${info?.name ?? 'none'} (tfjs: ${info?.tfName ?? '-'})`);
    for (const s of info?.skipped ?? []) console.log(`skipped\t${s.name}: ${s.reason}`);
    const variant = nativeKernelsVariant() === 'relaxed-simd' ? 'relaxed SIMD' : 'SIMD';
    console.log(`rnn\tkernel ${defaultRnnKernel()}${why ? ` (native: ${why})` : ` (WebAssembly ${variant}, src/native)`}`);
    console.log(`threads\t${nativeThreads()} for the native products (SORI_THREADS)`);
    console.log(`tfjs\t${tf.version.tfjs}`);
    console.log(`node\t${process.version}`);
  },
};
