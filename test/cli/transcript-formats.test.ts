/** The transcript formats (txt, tsv, json, srt, vtt) and the timestamps behind srt/vtt/json. */
import { describe, expect, it } from 'vitest';
import { formatTimestamp, formatTranscript, type Transcript } from '../../src/cli/transcript-formats.ts';
import { labelSpans, wordSpans } from '../../src/index.ts';

const t: Transcript = {
  key: 'a.wav',
  text: '안녕 하세요',
  duration: 1.5,
  words: [
    { text: '안녕', start: 0.1, end: 0.42 },
    { text: '하세요', start: 0.6, end: 3725.25 },
  ],
  symbols: [],
};

describe('timestamps', () => {
  it('writes HH:MM:SS,mmm for srt and HH:MM:SS.mmm for vtt', () => {
    expect(formatTimestamp(0, 'srt')).toBe('00:00:00,000');
    expect(formatTimestamp(3725.125, 'srt')).toBe('01:02:05,125'); // 1 h 2 min 5.125 s
    expect(formatTimestamp(61.5, 'vtt')).toBe('00:01:01.500');
  });

  it('gives each label the frames the alignment assigns it, in seconds, clipped to the audio', () => {
    // 6 frames of 40 ms: ∅ a a ∅ b ∅ → label 0 on frames 1-2, label 1 on frame 4; audio 0.19 s
    const spans = labelSpans({ labelIndex: [-1, 0, 0, -1, 1, -1] }, 2, 0.04, 0.19);
    expect(spans[0].start).toBeCloseTo(0.04, 12);
    expect(spans[0].end).toBeCloseTo(0.12, 12);
    expect(spans[1].start).toBeCloseTo(0.16, 12);
    expect(spans[1].end).toBeCloseTo(0.19, 12); // 0.20 clipped to the duration
  });

  it('joins the symbols between <space>s into words spanning first start to last end', () => {
    const spans = [0, 1, 2, 3, 4].map((i) => ({ start: i, end: i + 0.5 }));
    expect(wordSpans(['안', '녕', '<space>', '하', '세'], spans)).toEqual([
      { text: '안녕', start: 0, end: 1.5 },
      { text: '하세', start: 3, end: 4.5 },
    ]);
  });
});

describe('formatTranscript', () => {
  it("prints tsv as path<TAB>text, and as Kaldi's `utt-id text` for wav.scp inputs", () => {
    expect(formatTranscript(t, 'tsv')).toBe('a.wav\t안녕 하세요\n');
    expect(formatTranscript({ ...t, key: 'utt1', kaldi: true }, 'tsv')).toBe('utt1 안녕 하세요\n');
    expect(formatTranscript(t, 'txt')).toBe('안녕 하세요\n');
  });

  it('prints srt and vtt cues, one per word', () => {
    expect(formatTranscript(t, 'srt')).toBe('1\n00:00:00,100 --> 00:00:00,420\n안녕\n\n2\n00:00:00,600 --> 01:02:05,250\n하세요\n');
    expect(formatTranscript(t, 'vtt')).toBe('WEBVTT\n\n00:00:00.100 --> 00:00:00.420\n안녕\n\n00:00:00.600 --> 01:02:05.250\n하세요\n');
  });

  it('prints one JSON object per transcript', () => {
    expect(JSON.parse(formatTranscript(t, 'json'))).toEqual({ key: 'a.wav', text: t.text, duration: 1.5, words: t.words, symbols: [] });
  });
});
