/**
 * What `sori transcribe` reads: wav.scp lines, directories, '-' (any format loadAnyAudio reads);
 * and how yargs is kept from dropping '-'.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectAudioInputs, parseWavScp, readAudioInput } from '../../src/cli/audio-inputs.ts';
import { keepDashes, restoreDashes } from '../../src/cli/dash.ts';

const stdin = (bytes: Uint8Array) => Readable.from([Buffer.from(bytes)]);

describe('wav.scp', () => {
  it("reads 'utt-id path' lines, skipping blank ones, paths taken from the corpus root above the list", () => {
    const root = mkdtempSync(join(tmpdir(), 'sori-scp-'));
    mkdirSync(join(root, 'test'));
    mkdirSync(join(root, 'wav'));
    writeFileSync(join(root, 'wav', 'a.wav'), '');
    const inputs = parseWavScp('u1 wav/a.wav\n\nu2   /abs/b.wav  \n', join(root, 'test', 'wav.scp'));
    expect(inputs).toEqual([
      { key: 'u1', path: join(root, 'wav', 'a.wav'), kaldi: true },
      { key: 'u2', path: '/abs/b.wav', kaldi: true },
    ]);
  });

  it('refuses a Kaldi pipe entry and a line without a path, naming the line', () => {
    expect(() => parseWavScp('u1 sox a.flac -t wav - |\n', 'wav.scp')).toThrow("wav.scp:1: 'sox a.flac -t wav - |' is a command");
    expect(() => parseWavScp('u1 a.wav\nu2\n', 'wav.scp')).toThrow("wav.scp:2: expected 'utt-id path', got 'u2'");
  });
});

describe('collectAudioInputs', () => {
  it("expands a directory to its .wav files, sorted, keeps '-' and refuses it twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-dir-'));
    for (const f of ['b.wav', 'a.WAV', 'c.flac', 'notes.txt']) writeFileSync(join(dir, f), '');
    const inputs = await collectAudioInputs([dir, '-']);
    expect(inputs.map((i) => i.key)).toEqual([join(dir, 'a.WAV'), join(dir, 'b.wav'), join(dir, 'c.flac'), '-']);
    await expect(collectAudioInputs(['-', '-'])).rejects.toThrow("'-' (standard input) given more than once");
  });

  it('refuses an empty directory and an empty input list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-empty-'));
    await expect(collectAudioInputs([dir])).rejects.toThrow(`directory ${dir} holds no .wav/.flac/.mp3/.ogg/.opus/.m4a files`);
    await expect(collectAudioInputs([])).rejects.toThrow('no audio to transcribe');
  });
});

describe('readAudioInput', () => {
  it('reads a FLAC file on standard input', async () => {
    const audio = await readAudioInput({ key: '-', path: '-', kaldi: false }, 16000, stdin(readFileSync('test/fixtures/audio/clip.flac')));
    expect(audio.samples.length).toBe(4000);
  });

  it('refuses empty standard input and names what it cannot decode', async () => {
    await expect(readAudioInput({ key: '-', path: '-', kaldi: false }, 16000, stdin(new Uint8Array()))).rejects.toThrow('<stdin>: empty');
    await expect(readAudioInput({ key: '-', path: '-', kaldi: false }, 16000, stdin(new TextEncoder().encode('text')))).rejects.toThrow(
      '<stdin>: cannot decode',
    );
  });
});

describe("'-' on the command line", () => {
  it('survives yargs: each lone - is marked before parsing and restored after, as a value or a positional', async () => {
    const yargs = (await import('yargs')).default;
    const parse = (args: string[]) =>
      yargs(keepDashes(args))
        .option('hyp', { type: 'string' })
        .option('json', { type: 'boolean' })
        .middleware(restoreDashes, true)
        .parseSync() as Record<string, unknown>;
    expect(parse(['--hyp', '-', 'a.wav'])).toMatchObject({ hyp: '-', _: ['a.wav'] });
    expect(parse(['--json', '-'])).toMatchObject({ json: true, _: ['-'] });
    expect(parse(['a.wav', '-'])._).toEqual(['a.wav', '-']);
  });
});
