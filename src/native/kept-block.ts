/**
 * A block of module memory a forward pass keeps for its backward pass (saved activations, or
 * gradients computed ahead). The backward releases it; when a recorded pass's backward never runs
 * (the tape is dropped), `unusedBlocks` frees it once its gradient function is garbage.
 */
import type { NativeKernels } from './kernels.ts';

export interface KeptBlock {
  k: NativeKernels;
  block: number;
  released: boolean;
}

/** Release the block once (later calls do nothing). */
export function releaseKept(kept: KeptBlock): void {
  if (kept.released) return;
  kept.released = true;
  kept.k.heap.release(kept.block);
}

/** Register a kept block against its gradient function: `unusedBlocks.register(gradFunc, kept)`. */
export const unusedBlocks = new FinalizationRegistry<KeptBlock>(releaseKept);
