import { describe, expect, it } from 'vitest';

describe('transcript files with CR-only line endings', () => {
  it('are read one utterance per line, not as one line', async () => {
    const { parseTranscripts } = await import('../../src/index.ts');
    const parsed = parseTranscripts('u1 안녕\ru2 하세요\r\nu3 네\r', 'ref.txt');
    expect([...parsed.keys()]).toEqual(['u1', 'u2', 'u3']);
    expect(parsed.get('u1')?.text).toBe('안녕');
    expect(parsed.get('u3')?.line).toBe(3);
  });
});
