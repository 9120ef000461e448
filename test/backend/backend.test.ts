import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../../src/index.ts';

describe('backend', () => {
  it('is initialised before any test runs and matches what tfjs reports', () => {
    const info = backendInfo();
    expect(info).not.toBeNull();
    expect(tf.getBackend()).toBe(info!.tfName);
  });

  it('rejects an unknown backend name, naming the argument and the value', async () => {
    await expect(initBackend('gpu')).rejects.toThrow(/--backend: unknown backend 'gpu'/);
  });

  it('defaults to wasm where tfjs-node is not installed', () => {
    const info = backendInfo()!;
    if (process.env.SORI_BACKEND) return;
    if (info.skipped.some((s) => s.name === 'node')) expect(info.name).toBe('wasm');
  });
});
