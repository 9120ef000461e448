/**
 * The command line: help (`-h` everywhere, `sori recipe --help`, `sori recipe NAME --help`),
 * `info --json`, the recipe runner logging its backend to stderr, and
 * `sori bleu`, whose line is checked against sacreBLEU 2.6.0's own output
 * (test/fixtures/metrics/make_sacrebleu_fixtures.py).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bleuCommand } from '../../src/cli/bleu.ts';

function sori(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('help', () => {
  it('-h works like --help for sori and its commands', async () => {
    const [top, transcribe] = await Promise.all([sori(['-h']), sori(['transcribe', '-h'])]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('sori transcribe');
    expect(transcribe.code).toBe(0);
    expect(transcribe.stdout).toContain('--output-format');
  });

  it('sori recipe --help lists the recipes; sori recipe NAME --help its stages and every config key', async () => {
    const [all, one] = await Promise.all([sori(['recipe', '--help']), sori(['recipe', 'annyeong', '--help'])]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/Recipes: .*annyeong/);
    expect(all.stderr).not.toContain('unknown recipe');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Stages:\n {3}1 {2}prepare/);
    expect(one.stdout).toMatch(/ {3}4 {2}decode \(greedy\)/);
    expect(one.stdout).toMatch(/decode\.beam +number +1\n/);
    expect(one.stdout).toMatch(/augment\.snrs +number\[\] +\[6,10,14\]/);
  });
});

describe('sori bleu', () => {
  const fixture = JSON.parse(readFileSync('test/fixtures/metrics/sacrebleu-lines.json', 'utf8')) as {
    cases: { name: string; hyp: string[]; refs: string[][]; args: string[]; line: string }[];
  };
  /** sacreBLEU's flags as the handler's arguments. */
  const options = (args: string[]) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-lc') o.lowercase = true;
      else if (args[i] === '-w') o.width = Number(args[++i]);
      else if (args[i] === '-tok') o.tokenize = args[++i];
    }
    return o;
  };
  const inProcess = async (argv: Record<string, unknown>) => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      await (bleuCommand.handler as (a: unknown) => Promise<void>)(argv);
    } finally {
      spy.mockRestore();
    }
    return { code: 0, stdout: lines.join('\n') };
  };

  it("prints sacreBLEU's line (signature, score, precisions, BP, ratio, lengths) for each reference case", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-bleu-'));
    const files = fixture.cases.map((c, i) => {
      const hyp = join(dir, `hyp${i}`);
      writeFileSync(hyp, c.hyp.join('\n') + '\n');
      const refs = c.refs.map((r, k) => {
        const path = join(dir, `ref${i}-${k}`);
        writeFileSync(path, r.join('\n') + '\n');
        return path;
      });
      return { hyp, refs };
    });
    const results = [await sori(['bleu', '-', ...files[0].refs], fixture.cases[0].hyp.join('\n') + '\n')]; // HYP on standard input
    for (const [i, c] of fixture.cases.entries()) {
      if (i > 0) results.push({ stderr: '', ...(await inProcess({ ...files[i], tokenize: '13a', lowercase: false, width: 1, json: false, ...options(c.args) })) });
    }
    results.forEach((r, i) => {
      expect(r.code, fixture.cases[i].name).toBe(0);
      expect(r.stdout.trim(), fixture.cases[i].name).toBe(fixture.cases[i].line.replace('version:2.6.0', 'version:sori-0.1.0'));
    });
  });
});

describe('machine-readable output and logging', () => {
  it('sori info --json prints one JSON object (backend, kernel, versions)', async () => {
    const { code, stdout } = await sori(['info', '--json', '--backend', 'cpu']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.backend).toBe('cpu');
    expect(info.node).toBe(process.version);
    expect(typeof info.tfjs).toBe('string');
  });

  it("sori recipe logs its 'backend:' line to stderr, leaving stdout to the recipe", async () => {
    const exp = mkdtempSync(join(tmpdir(), 'sori-recipe-log-'));
    const args = ['recipe', 'annyeong', '--backend', 'cpu', '--exp-dir', exp, '--stop-stage', '1', '--data.validSets=dev', '--data.evalSets=test'];
    const { code, stdout, stderr } = await sori(args);
    expect(code).toBe(0);
    expect(stderr).toContain('backend: cpu');
    expect(stdout).not.toContain('backend:');
    expect(stdout).toContain('Stage 1: prepare');
  });
});
