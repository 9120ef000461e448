/** `sori info`: which tensor backend sori runs on, and the versions around it. */
import * as tf from '@tensorflow/tfjs';
import type { CommandModule } from 'yargs';
import { backendInfo } from '../index.ts';

export const infoCommand: CommandModule = {
  command: 'info',
  describe: 'Print the tensor backend in use and library versions',
  handler: () => {
    const info = backendInfo();
    console.log(`backend\t${info?.name ?? 'none'} (tfjs: ${info?.tfName ?? '-'})`);
    for (const s of info?.skipped ?? []) console.log(`skipped\t${s.name}: ${s.reason}`);
    console.log(`tfjs\t${tf.version.tfjs}`);
    console.log(`node\t${process.version}`);
  },
};
