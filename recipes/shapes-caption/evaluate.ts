/**
 * Stages 3 and 4: caption every eval set with the saved model (decode/SET/hyp.txt, "ID caption")
 * and score it: BLEU-4 against all references of each image (sacreBLEU's corpus BLEU with several
 * reference streams) and exact match against any reference → RESULTS.md.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { corpusBleu, loadCaptioner, readJsonFile, readTextFile, writeFileAtomic, writeJsonAtomic } from '../../src/index.ts';
import type { ImageSet } from './data.ts';
import { exactMatchAny } from './train.ts';

/** The name an eval set's outputs go under: 'dev', 'test', or a directory's base name. */
export function setName(split: string): string {
  return basename(split.replace(/\/+$/, ''));
}

export function decodeSets(opts: { modelDir: string; decodeDir: string; sets: Record<string, ImageSet>; beam: number }): void {
  const captioner = loadCaptioner(opts.modelDir);
  try {
    for (const [name, set] of Object.entries(opts.sets)) {
      const t0 = performance.now();
      const results = captioner.captionFiles(set.paths, { beamWidth: opts.beam });
      const lines = results.map((r, i) => {
        if (r.error !== undefined) console.error(`  ${r.error}`);
        return `${set.ids[i]} ${r.caption?.text ?? ''}`.trimEnd();
      });
      writeFileAtomic(join(opts.decodeDir, name, 'hyp.txt'), lines.join('\n') + '\n');
      console.log(`  ${name}: ${lines.length} images in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${join(opts.decodeDir, name, 'hyp.txt')}`);
    }
  } finally {
    captioner.dispose();
  }
}

/** BLEU-4 (multi-reference) and exact match (any reference) of one decoded set. */
export function scoreSet(set: ImageSet, hypPath: string): { images: number; bleu: number; exact: number } {
  const byId = new Map<string, string>();
  if (existsSync(hypPath)) {
    for (const line of readTextFile(hypPath).split('\n')) {
      const m = /^(\S+)\s*(.*)$/.exec(line);
      if (m) byId.set(m[1], m[2].trim());
    }
  }
  const hyps = set.ids.map((id) => byId.get(id) ?? '');
  const K = Math.max(...set.references.map((r) => r.length));
  // Stream k holds each image's k-th reference; an image with fewer repeats its first (a repeat changes no count).
  const streams = Array.from({ length: K }, (_, k) => set.references.map((r) => r[k] ?? r[0]));
  return { images: hyps.length, bleu: corpusBleu(hyps, streams).score, exact: exactMatchAny(hyps, set.references) };
}

export function scoreSets(opts: { expDir: string; decodeDir: string; sets: Record<string, ImageSet>; summary: string }): void {
  const rows = ['| set | images | BLEU-4 | exact match % |', '|---|---|---|---|'];
  const scores: Record<string, { images: number; bleu: number; exact: number }> = {};
  for (const [name, set] of Object.entries(opts.sets)) {
    const s = scoreSet(set, join(opts.decodeDir, name, 'hyp.txt'));
    scores[name] = s;
    rows.push(`| ${name} | ${s.images} | ${s.bleu.toFixed(2)} | ${(100 * s.exact).toFixed(2)} |`);
  }
  const historyPath = join(opts.expDir, 'train-history.json');
  const history = existsSync(historyPath) ? (readJsonFile(historyPath) as Record<string, unknown> | null) : undefined;
  const training = history
    ? `\nTraining: ${history.epoch} epochs (best dev at epoch ${history.bestEpoch}), ${Number(history.seconds).toFixed(0)} s of training in the last run.\n`
    : '';
  const report =
    `# shapes-caption results\n\n${opts.summary} BLEU-4 is sacreBLEU's corpus BLEU against every correct caption ` +
    `of an image; exact match counts a caption equal to any of them.\n\n${rows.join('\n')}\n${training}`;
  writeFileAtomic(join(opts.expDir, 'RESULTS.md'), report);
  writeJsonAtomic(join(opts.expDir, 'scores.json'), scores);
  console.log(report);
}
