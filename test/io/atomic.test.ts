import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomicFs, writeFileAtomic } from '../../src/io/atomic.ts';

const realWrite = atomicFs.writeSync;
afterEach(() => {
  atomicFs.writeSync = realWrite;
});

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'sori-atomic-'));
}

/** Mount a tmpfs of `kib` KiB (root only); undefined where mounting is impossible. */
function mountTmpfs(kib: number): string | undefined {
  const dir = scratch();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

describe('writeFileAtomic', () => {
  it('writes every byte when the system writes only a few bytes per call', () => {
    const dir = scratch();
    atomicFs.writeSync = ((fd: number, buf: Uint8Array, off: number, len: number) =>
      realWrite(fd, buf, off, Math.min(len, 7))) as typeof atomicFs.writeSync;
    const data = new Uint8Array(1000).map((_, i) => i % 251);
    writeFileAtomic(join(dir, 'f.bin'), data);
    expect(new Uint8Array(readFileSync(join(dir, 'f.bin')))).toEqual(data);
    rmSync(dir, { recursive: true });
  });

  it('fails with ENOSPC and the path when a write stops short, keeping the old file and no temporary', () => {
    const dir = scratch();
    const path = join(dir, 'checkpoint.safetensors');
    writeFileSync(path, 'old content');
    let calls = 0;
    atomicFs.writeSync = ((fd: number, buf: Uint8Array, off: number, len: number) =>
      calls++ === 0 ? realWrite(fd, buf, off, Math.min(len, 10)) : 0) as typeof atomicFs.writeSync;
    expect(() => writeFileAtomic(path, 'x'.repeat(100))).toThrow(/checkpoint\.safetensors.*ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['checkpoint.safetensors']);
    rmSync(dir, { recursive: true });
  });

  it('on a full tmpfs: fails naming ENOSPC, keeps the previous file intact, leaves no temporary', (ctx) => {
    const dir = mountTmpfs(64);
    if (!dir) return ctx.skip();
    try {
      const path = join(dir, 'weights.bin');
      const good = new Uint8Array(20_000).fill(7);
      writeFileAtomic(path, good);
      expect(() => writeFileAtomic(path, new Uint8Array(60_000).fill(9))).toThrow(/weights\.bin.*ENOSPC/);
      expect(new Uint8Array(readFileSync(path))).toEqual(good);
      expect(readdirSync(dir)).toEqual(['weights.bin']);
      // once there is room again, the same write succeeds
      writeFileAtomic(path, new Uint8Array(30_000).fill(9));
      expect(readFileSync(path).length).toBe(30_000);
    } finally {
      unmount(dir);
    }
  });

  it('never writes through a symlink planted under the old predictable temporary name', () => {
    const dir = scratch();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const path = join(dir, 'out.json');
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    writeFileAtomic(path, 'new');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(path, 'utf8')).toBe('new');
    rmSync(dir, { recursive: true });
  });

  it('replaces a symlink at the target itself instead of writing into the file it points to', () => {
    const dir = scratch();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const path = join(dir, 'out.json');
    symlinkSync(victim, path);
    writeFileAtomic(path, 'new');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(path, 'utf8')).toBe('new');
    rmSync(dir, { recursive: true });
  });

  it('uses a different unpredictable temporary name each time', () => {
    const dir = scratch();
    const names = new Set<string>();
    const realOpen = atomicFs.openSync;
    atomicFs.openSync = ((p: string, ...rest: unknown[]) => {
      names.add(p);
      return (realOpen as (...a: unknown[]) => number)(p, ...rest);
    }) as typeof atomicFs.openSync;
    try {
      for (let i = 0; i < 3; i++) writeFileAtomic(join(dir, 'a.txt'), String(i));
    } finally {
      atomicFs.openSync = realOpen;
    }
    expect(names.size).toBe(3);
    for (const n of names) expect(n).not.toContain(String(process.pid));
    rmSync(dir, { recursive: true });
  });

  it('names the path when the directory cannot be created', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    expect(() => writeFileAtomic(join(dir, 'file', 'sub', 'x.json'), '{}')).toThrow(/x\.json.*(ENOTDIR|EEXIST)/);
    mkdirSync(join(dir, 'ok'));
    rmSync(dir, { recursive: true });
  });

  it('says the error code once, not once from sori and once from Node', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    let message = '';
    try {
      writeFileAtomic(join(dir, 'file', 'x.json'), '{}');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/x\.json': (ENOTDIR|EEXIST): /);
    expect(message).not.toMatch(/(ENOTDIR|EEXIST): \1/);
    rmSync(dir, { recursive: true });
  });
});

describe('removeStaleTemporaries', () => {
  it("removes only the temporaries a killed writer left, not the finished files", async () => {
    const { removeStaleTemporaries } = await import('../../src/io/atomic.ts');
    const dir = scratch();
    writeFileSync(join(dir, 'best.safetensors'), 'ok');
    writeFileSync(join(dir, `.best.safetensors.${'ab'.repeat(16)}.tmp`), 'half');
    writeFileSync(join(dir, 'notes.tmp'), 'mine');
    expect(removeStaleTemporaries(dir)).toEqual([`.best.safetensors.${'ab'.repeat(16)}.tmp`]);
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', 'notes.tmp']);
    rmSync(dir, { recursive: true });
  });
});
