/**
 * tf.tidy for functions that return an object of tensors (states, memories): the tensors in the
 * result survive, every other intermediate is freed.
 */
import * as tf from '@tensorflow/tfjs';

export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
