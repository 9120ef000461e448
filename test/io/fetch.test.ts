// Model directories over HTTP: where each file of a directory is, and what a bad base URL says.
import { describe, expect, it } from 'vitest';
import { fetchAll, fetchJson, fileUrl } from '../../src/browser.ts';

describe('fileUrl', () => {
  it('puts the file inside the directory whether or not its URL ends in a slash', () => {
    expect(fileUrl('https://example.org/models/annyeong', 'model.json').href).toBe('https://example.org/models/annyeong/model.json');
    expect(fileUrl('https://example.org/models/annyeong/', 'model.json').href).toBe('https://example.org/models/annyeong/model.json');
  });

  it('keeps a query string out of the way of the file name', () => {
    expect(fileUrl(new URL('https://example.org/m/?v=2'), 'weights.safetensors').href).toBe('https://example.org/m/weights.safetensors');
  });

  it('names a relative base URL that has no page to resolve it against (Node)', () => {
    expect(() => fileUrl('models/annyeong/', 'model.json')).toThrow("model URL 'models/annyeong/': not an absolute URL");
  });
});

describe('fetchAll', () => {
  it('throws the first failure in argument order, whichever rejected first', async () => {
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('model.json: HTTP 404')), 20));
    const early = Promise.reject(new Error('weights.safetensors: HTTP 404'));
    early.catch(() => {}); // handled by fetchAll; keeps Node from warning before it is awaited
    await expect(fetchAll([late, early])).rejects.toThrow('model.json: HTTP 404');
  });

  it('gives every value in order when all succeed', async () => {
    await expect(fetchAll<[number, string]>([Promise.resolve(1), Promise.resolve('b')])).resolves.toEqual([1, 'b']);
  });
});

describe('fetchJson', () => {
  it('names the URL of a body that is not JSON and never quotes it', async () => {
    const real = globalThis.fetch;
    globalThis.fetch = (async () => new Response('root:$6$secret:19000:0:99999:7:::')) as typeof fetch;
    try {
      const error = await fetchJson('https://example.org/m/', 'model.json').then(() => null, (e: Error) => e.message);
      expect(error).toMatch(/^https:\/\/example\.org\/m\/model\.json is not valid JSON/);
      expect(error).not.toContain('root');
    } finally {
      globalThis.fetch = real;
    }
  });
});
