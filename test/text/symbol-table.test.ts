import { describe, expect, it } from 'vitest';
import { decodeLabels, encodeTranscript, parseSymbolTable } from '../../src/index.ts';

const lecture = parseSymbolTable('<space> 0\n안 1\n녕 2\n하 3\n세 4\n요 5\n<blank> 6\n');

describe('symbol table', () => {
  it("reads the lecture's table with the blank last", () => {
    expect(lecture.symbols).toEqual(['<space>', '안', '녕', '하', '세', '요', '<blank>']);
    expect(lecture.blank).toBe(6);
  });

  it('encodes 안녕 하세요 with <space> as 0', () => {
    expect(encodeTranscript('안녕 하세요', lecture)).toEqual([1, 2, 0, 3, 4, 5]);
  });

  it('encodes Hangul typed as decomposed jamo like the composed syllables', () => {
    expect(encodeTranscript('안녕'.normalize('NFD'), lecture)).toEqual([1, 2]);
  });

  it('decodes ids back to text, dropping blanks', () => {
    expect(decodeLabels([1, 6, 2, 0, 3, 4, 5], lecture)).toBe('안녕 하세요');
  });

  it('drops spaces at the ends and merges runs of spaces when decoding', () => {
    expect(decodeLabels([0, 1, 2, 0, 0, 3, 0], lecture)).toBe('안녕 하');
  });

  it('names the utterance and the character it cannot encode', () => {
    expect(() => encodeTranscript('안녕x', lecture, 'utt-7')).toThrow("utt-7: 'x' is not in the symbol table");
  });

  it('rejects a repeated id, naming the file', () => {
    expect(() => parseSymbolTable('a 0\nb 0\n', 'tokens.txt')).toThrow(/tokens.txt: id 0 of 'b' is repeated/);
  });
});
