/**
 * File arguments of the commands (`score --ref/--hyp`, `bleu`, `forecast --data`, `caption`
 * images, wav.scp, symbol tables, Kaldi tables): a FIFO or /dev/zero in place of a file is refused
 * at once with an error naming the argument, never a hang or memory without bound; standard input
 * is read up to a cap.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImages, readKaldiTable, readSymbolTable } from '../../src/index.ts';
import { forecastCsv } from '../../src/cli/forecast.ts';
import { readBytes, readTextArgument } from '../../src/cli/stdin.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'sori-args-'));
function fifo(): string {
  const path = join(dir(), 'fifo');
  execFileSync('mkfifo', [path]);
  return path;
}

/** Run sori; a run that has not ended after 60 s is killed and reported as a hang (code null). */
function sori(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe('sori score', () => {
  it('--ref given a FIFO or /dev/zero exits 1 naming --ref and what the file is', async () => {
    const hyp = join(dir(), 'hyp');
    writeFileSync(hyp, 'u1 a b\n');
    const [pipe, zero] = await Promise.all([sori(['score', '--ref', fifo(), '--hyp', hyp]), sori(['score', '--ref', '/dev/zero', '--hyp', hyp])]);
    expect(pipe.code).toBe(1);
    expect(pipe.stderr).toMatch(/--ref '.*fifo' is a FIFO: only regular files are read/);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/--ref '\/dev\/zero' is a device: only regular files are read/);
  }, 120_000);
});

describe('text arguments (bleu HYP/REF, --scp)', () => {
  it('a FIFO is refused, naming the argument', async () => {
    await expect(readTextArgument(fifo(), 'REF')).rejects.toThrow(/^REF '.*fifo' is a FIFO/);
  });

  it('a missing file is named', async () => {
    await expect(readTextArgument(join(dir(), 'nope'), 'HYP')).rejects.toThrow(/^HYP '.*nope' does not exist/);
  });

  it('standard input that never ends stops at the cap with a named error', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(1024);
      })(),
    );
    await expect(readBytes(endless, { what: '--ref (standard input)', maxBytes: 64 * 1024 })).rejects.toThrow(
      /^--ref \(standard input\): more than 65536 bytes, the most read at once$/,
    );
  });
});

describe('other file arguments', () => {
  it('forecast --data /dev/zero names the CSV before loading any model', () => {
    expect(() => forecastCsv({ model: join(dir(), 'no-model'), data: '/dev/zero' })).toThrow(/bars CSV '\/dev\/zero'.*is a device/);
  });

  it('an image path that is a FIFO gets its own error and does not block the others', () => {
    const [out] = readImages([fifo()], 4);
    expect(out.error).toMatch(/fifo: cannot read the file \(image '.*fifo' is a FIFO/);
  });

  it('a symbol table or a Kaldi table that is a device or a FIFO is refused', () => {
    expect(() => readSymbolTable('/dev/zero')).toThrow(/symbol table '\/dev\/zero' is a device/);
    expect(() => readKaldiTable(fifo())).toThrow(/fifo' is a FIFO/);
  });
});
