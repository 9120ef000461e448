import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, readRegularFile } from '../../src/index.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'sori-read-'));

describe('readRegularFile', () => {
  it('reads a regular file whole', () => {
    const d = dir();
    writeFileSync(join(d, 'a.bin'), Buffer.from([1, 2, 3]));
    expect([...readRegularFile(join(d, 'a.bin'))]).toEqual([1, 2, 3]);
  });

  it('refuses a file over maxBytes from its size, before reading it', () => {
    const d = dir();
    writeFileSync(join(d, 'big.bin'), Buffer.alloc(100));
    expect(() => readRegularFile(join(d, 'big.bin'), { what: 'audio file', maxBytes: 99 })).toThrow(
      /audio file '.*big.bin' is 100 bytes, more than the 99 read at most/,
    );
  });

  it('refuses a directory and names a missing file', () => {
    const d = dir();
    mkdirSync(join(d, 'sub'));
    expect(() => readRegularFile(join(d, 'sub'))).toThrow(/sub' is a directory: only regular files are read/);
    expect(() => readRegularFile(join(d, 'nope'))).toThrow(/nope' does not exist/);
  });

  it('follows a symlink unless told not to', () => {
    const d = dir();
    writeFileSync(join(d, 'real'), 'x');
    symlinkSync(join(d, 'real'), join(d, 'link'));
    expect(readRegularFile(join(d, 'link')).toString()).toBe('x');
    expect(() => readRegularFile(join(d, 'link'), { followSymlinks: false })).toThrow(/link' is a symbolic link/);
  });
});

describe('readJsonFile', () => {
  it('names the file and never quotes it', () => {
    const d = dir();
    writeFileSync(join(d, 'bad.json'), '{"password": "hunter2",');
    let message = '';
    try {
      readJsonFile(join(d, 'bad.json'), { what: 'model file' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^model file '.*bad.json' is not valid JSON/);
    expect(message).not.toContain('hunter2');
  });
});
