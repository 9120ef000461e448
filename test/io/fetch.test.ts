// Model directories over HTTP: where each file of a directory is, and what a bad base URL says.
import { describe, expect, it } from 'vitest';
import { fileUrl } from '../../src/browser.ts';

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
