/**
 * PyTorch's state_dict layout for `nn.RNN` / `nn.LSTM` / `nn.GRU`, as plain nested number arrays
 * (what `{k: v.tolist() for k, v in m.state_dict().items()}` gives, e.g. through JSON):
 *
 *   weight_ih_l{k}[_reverse]  [G·H, F]   (F = inputSize for k = 0, else H·directions)
 *   weight_hh_l{k}[_reverse]  [G·H, H]
 *   bias_ih_l{k}[_reverse]    [G·H]
 *   bias_hh_l{k}[_reverse]    [G·H]
 *
 * Loading checks everything before assigning anything: a missing key, an extra key or a wrong
 * shape is an error that names the key.
 */
import * as tf from '@tensorflow/tfjs';

/** A state_dict as plain arrays: weights [G·H, ·] as number[][], biases [G·H] as number[]. */
export type TorchStateDict = Record<string, number[] | number[][]>;

export type TorchParameter = 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh';
export const TORCH_PARAMETERS: readonly TorchParameter[] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];

/** PyTorch's name for one parameter of layer `layer`, e.g. 'weight_hh_l1_reverse'. */
export function torchParameterName(parameter: TorchParameter, layer: number, reverse: boolean): string {
  return `${parameter}_l${layer}${reverse ? '_reverse' : ''}`;
}

/** Shape of a rectangular nested number array; throws naming `name` when it is ragged or not numeric. */
export function nestedShape(value: unknown, name: string): number[] {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) throw new Error(`${name}: expected a nested array of numbers, got ${typeof value}`);
  if (value.length === 0) return [0];
  const inner = nestedShape(value[0], `${name}[0]`);
  for (let i = 1; i < value.length; i++) {
    const s = nestedShape(value[i], `${name}[${i}]`);
    if (s.join(',') !== inner.join(',')) {
      throw new Error(`${name}: ragged array, [${i}] has shape [${s.join(', ')}] but [0] has [${inner.join(', ')}]`);
    }
  }
  return [value.length, ...inner];
}

/**
 * Assign `dict` to `params` (name → variable). Every name must be present with the variable's
 * shape and no other key may appear.
 */
export function assignTorchStateDict(
  dict: TorchStateDict,
  params: readonly { name: string; variable: tf.Variable }[],
): void {
  if (dict === null || typeof dict !== 'object') throw new Error(`dict: expected an object keyed by PyTorch names, got ${dict}`);
  const known = new Set(params.map((p) => p.name));
  for (const key of Object.keys(dict)) {
    if (!known.has(key)) {
      throw new Error(`dict: unexpected key '${key}' (expected: ${[...known].join(', ')})`);
    }
  }
  for (const { name, variable } of params) {
    if (!(name in dict)) throw new Error(`dict: missing key '${name}'`);
    const shape = nestedShape(dict[name], `dict['${name}']`);
    if (shape.join(',') !== variable.shape.join(',')) {
      throw new Error(`dict['${name}']: expected shape [${variable.shape.join(', ')}], got [${shape.join(', ')}]`);
    }
  }
  for (const { name, variable } of params) {
    const value = tf.tensor(dict[name] as number[], variable.shape, 'float32');
    variable.assign(value);
    value.dispose();
  }
}

/** The variables as a state_dict of plain nested arrays, keyed by PyTorch's names. */
export function torchStateDictOf(params: readonly { name: string; variable: tf.Variable }[]): TorchStateDict {
  const dict: TorchStateDict = {};
  for (const { name, variable } of params) dict[name] = variable.arraySync() as number[] | number[][];
  return dict;
}
