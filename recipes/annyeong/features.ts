/**
 * Stage 2 of the annyeong recipe: 13 MFCCs + per-utterance CMVN (the model card's feature
 * settings) for every utterance of every split, plus perturbed copies of each training utterance
 * (speed, telephone band, coloured noise), all drawn from `augment.seed`.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  addNoise,
  bandLimit,
  loadAudio,
  mulberry32,
  NOISE_COLOURS,
  saveSafetensors,
  speechFeatures,
  speedPerturb,
  writeFileAtomic,
} from '../../src/index.ts';
import type { AnnyeongConfig } from './config.ts';
import { readRecords } from './data.ts';

/**
 * One perturbed training copy: a kind drawn uniformly from the speed factors, the band of
 * `bandRate` Hz and (when `snrs` is not empty) added noise at an SNR drawn from `snrs`; a speed or
 * band copy also gets noise with probability `noiseOnTop`. Noise is white, pink or brown.
 */
async function perturbedCopy(
  samples: Float32Array,
  rate: number,
  augment: AnnyeongConfig['augment'],
  random: () => number,
): Promise<{ id: string; samples: Float32Array }> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const noisy = (x: Float32Array, id: string) => {
    const snr = pick(augment.snrs);
    const colour = pick(NOISE_COLOURS);
    return { id: `${id}${id ? '-' : ''}${colour}${snr}`, samples: addNoise(x, snr, random, { colour }) };
  };
  const kinds = [...augment.speeds.map((a) => `sp${a}`), `band${augment.bandRate}`, ...(augment.snrs.length > 0 ? ['noise'] : [])];
  const kind = pick(kinds);
  if (kind === 'noise') return noisy(samples, '');
  const x = kind.startsWith('sp')
    ? await speedPerturb(samples, rate, Number(kind.slice(2)))
    : await bandLimit(samples, rate, augment.bandRate);
  return augment.snrs.length > 0 && random() < augment.noiseOnTop ? noisy(x, kind) : { id: kind, samples: x };
}

/** Features of every split's utterances (and train's perturbed copies) → featDir/SPLIT.{safetensors,jsonl}. */
export async function computeFeatures(
  { corpus, dataDir, featDir, splits }: { corpus: string; dataDir: string; featDir: string; splits: string[] },
  cfg: Pick<AnnyeongConfig, 'features' | 'augment'>,
): Promise<void> {
  for (const split of splits) {
    const utts = readRecords(join(dataDir, `${split}.jsonl`), ['id', 'audio']);
    const tensors: Record<string, tf.Tensor> = {};
    const listed: object[] = [];
    let frames = 0;
    const add = (u: object & { id: string }, samples: Float32Array) => {
      const f = speechFeatures(samples, cfg.features); // [T, F]
      frames += f.shape[0];
      tensors[u.id] = f;
      listed.push(u);
    };
    const random = mulberry32(cfg.augment.seed);
    const rate = cfg.features.sampleRate;
    for (const u of utts) {
      const { samples } = await loadAudio(join(corpus, u.audio), { sampleRate: rate }); // u.audio: relative to the corpus root
      add(u, samples);
      if (split !== 'train') continue;
      const copies = Math.floor(cfg.augment.fraction) + (random() < cfg.augment.fraction % 1 ? 1 : 0);
      for (let c = 0; c < copies; c++) {
        const { id, samples: perturbed } = await perturbedCopy(samples, rate, cfg.augment, random);
        add({ ...u, id: `${u.id}-${c}-${id}` }, perturbed);
      }
    }
    saveSafetensors(join(featDir, `${split}.safetensors`), tensors);
    writeFileAtomic(join(featDir, `${split}.jsonl`), listed.map((l) => JSON.stringify(l)).join('\n') + '\n');
    tf.dispose(Object.values(tensors));
    console.log(`  ${split}: ${listed.length} utterances (${listed.length - utts.length} perturbed copies), ${frames} frames`);
  }
}
