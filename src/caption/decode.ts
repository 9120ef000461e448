/**
 * Captioning images with a Captioner: encode the batch once, then seq2seq's greedy or beam search
 * (search.ts) over the decoder's steps. Each hypothesis carries its attention maps [U(+1)][G]
 * (rows: output words with the <eos>; columns: the grid cells in row-major order).
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys } from '../check.ts';
import { followBeams, selectRows, stateTensors, type DecoderState } from '../seq2seq/model.ts';
import { beamSearch, greedySearch, type Hypothesis, type StepDecoder } from '../seq2seq/search.ts';
import { captionStep, encodeImages, type Captioner } from './captioner.ts';

/** The captioner as the search sees it. */
export function captionStepDecoder(model: Captioner): StepDecoder<DecoderState> {
  return { step: (yPrev, state) => captionStep(model, yPrev, state), selectRows, followBeams, stateTensors };
}

export interface CaptionOptions {
  /** K: 1 (default) is greedy search; K > 1 is beam search. */
  beamWidth?: number;
  /** Longest caption in words (<eos> included); default 20. */
  maxLength?: number;
  /** α of beam search's score / |y|^α; default 1. Only for beamWidth > 1. */
  lengthPenalty?: number;
}

/** Images [B, S, S, 3] → the best hypothesis of each (word ids, score, attention [U(+1)][G]). */
export function captionIds(model: Captioner, images: tf.Tensor4D, options: CaptionOptions = {}): Hypothesis[] {
  checkKeys(options, ['beamWidth', 'maxLength', 'lengthPenalty'], 'caption options');
  const { beamWidth = 1, maxLength = 20, lengthPenalty } = options;
  if (beamWidth === 1 && lengthPenalty !== undefined) {
    throw new Error(`lengthPenalty: only for beam search (beamWidth > 1), got ${lengthPenalty} with beamWidth 1`);
  }
  const B = images.shape[0];
  if (B === 0) return [];
  const state0 = encodeImages(model, images);
  const gridLengths = new Array<number>(B).fill(model.grid.G);
  try {
    const decoder = captionStepDecoder(model);
    if (beamWidth === 1) return greedySearch(decoder, state0, gridLengths, { maxLength });
    return beamSearch(decoder, state0, gridLengths, { beamWidth, maxLength, lengthPenalty }).map((hyps) => hyps[0]);
  } finally {
    tf.dispose(stateTensors(state0));
  }
}
