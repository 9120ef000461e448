/**
 * Stage 4 of the translation recipes: corpus BLEU (sacreBLEU's defaults), chrF2 and exact match of each
 * eval split's hypotheses → exp/NAME/RESULTS.md and scores.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bleuSignature, corpusBleu, corpusChrf, exactMatch, formatBleu, readHypotheses, readJsonFile, resultsTable, writeResults } from '../../src/index.ts';
import { normalizedReferences, readSplit, readVocabulary, type TranslationRecipeConfig } from './data.ts';

/**
 * One hypothesis per distinct source (its first), against every reference that source has:
 * sacreBLEU's K reference streams, a source with fewer references repeating its first (which
 * changes neither BLEU's clipped counts and closest length nor chrF's best reference).
 */
function multiReference(sources: readonly string[], hyps: readonly string[], refs: readonly string[]): { hypotheses: string[]; streams: string[][] } {
  const bySource = new Map<string, { hyp: string; refs: string[] }>();
  sources.forEach((s, i) => {
    const entry = bySource.get(s);
    if (entry) entry.refs.push(refs[i]);
    else bySource.set(s, { hyp: hyps[i], refs: [refs[i]] });
  });
  const entries = [...bySource.values()];
  const K = Math.max(1, ...entries.map((e) => e.refs.length));
  return {
    hypotheses: entries.map((e) => e.hyp),
    streams: Array.from({ length: K }, (_, k) => entries.map((e) => e.refs[k] ?? e.refs[0])),
  };
}

/** 'subword (V=2000)' or the unit's name. */
const unit = (level: string, size: number) => (level === 'subword' ? `subword (V=${size})` : level);

export function score(
  name: string,
  { expDir, dataDir, decodeDir }: { expDir: string; dataDir: string; decodeDir: string },
  cfg: TranslationRecipeConfig,
): void {
  const target = readVocabulary(dataDir, 'target');
  const rows: (string | number)[][] = [];
  const scores: Record<string, Record<string, number>> = {};
  const multiRows: (string | number)[][] = [];
  const lines: string[] = [];
  for (const split of cfg.decode.evalSets) {
    const pairs = readSplit(dataDir, split);
    const refs = normalizedReferences(pairs, target);
    const hyps = readHypotheses(decodeDir, split).slice(0, refs.length);
    while (hyps.length < refs.length) hyps.push('');
    const bleu = corpusBleu(hyps, refs);
    const chrf = corpusChrf(hyps, refs);
    const exact = exactMatch(hyps, refs);
    const multi = multiReference(pairs.map((p) => p.source), hyps, refs);
    const multiBleu = corpusBleu(multi.hypotheses, multi.streams).score;
    const multiChrf = corpusChrf(multi.hypotheses, multi.streams).score;
    scores[split] = { bleu: bleu.score, chrf: chrf.score, exact, sentences: refs.length, multiBleu, multiChrf, sources: multi.hypotheses.length };
    rows.push([split, refs.length, bleu.score.toFixed(2), chrf.score.toFixed(2), (100 * exact).toFixed(2)]);
    multiRows.push([split, multi.hypotheses.length, multi.streams.length, multiBleu.toFixed(2), multiChrf.toFixed(2)]);
    lines.push(`${formatBleu(bleu, bleuSignature(1), 2)} decode/${split}`);
  }
  const historyPath = join(expDir, 'train-history.json');
  const history = existsSync(historyPath) ? (readJsonFile(historyPath) as Record<string, unknown> & { members?: unknown }) : undefined;
  const training = history
    ? Array.isArray(history.members) && history.members.length > 1
      ? `\nTraining: ${history.members.length} members, ` +
        history.members.map((h: Record<string, number>, i: number) => `member ${i + 1}: ${h.epoch} epochs, best dev at epoch ${h.bestEpoch}, ${Number(h.seconds).toFixed(0)} s`).join('; ') +
        ` (the last run).\n`
      : `\nTraining: ${history.epoch} epochs (${history.steps} steps; best dev at epoch ${history.bestEpoch}), ` +
        `${Number(history.seconds).toFixed(0)} s of training in the last run.\n`
    : '';
  const m = cfg.model;
  const body =
    `Model: ${m.cell.toUpperCase()} ${m.bidirectional ? 'bidirectional ' : ''}encoder, ${m.numLayers} layer(s), H=${m.hiddenSize}, ` +
    `E=${m.embeddingSize}, attention ${m.attention}, dropout ${m.dropout}${m.tiedEmbeddings ? ', tied target embeddings' : ''}; ` +
    `text ${unit(cfg.text.sourceLevel, cfg.text.sourceVocabularySize)} → ${unit(cfg.text.targetLevel, cfg.text.targetVocabularySize)}; label smoothing ${cfg.train.labelSmoothing}; ` +
    `${cfg.train.average > 1 ? `average of the ${cfg.train.average} best epochs if better on dev; ` : ''}` +
    `${cfg.train.members.length > 1 ? `ensemble of ${cfg.train.members.length} models (${cfg.train.members.map((m) => JSON.stringify(m)).join(', ')}); ` : ''}` +
    `decoding ${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}, length penalty α ${cfg.decode.lengthPenalty}` : 'greedy'}. ` +
    `BLEU is corpus BLEU with sacreBLEU's defaults (13a, exp smoothing); chrF is sacreBLEU's chrF2 (character n ≤ 6, β = 2).\n\n` +
    ['```', ...lines, '```', ''].join('\n') +
    `${resultsTable(['split', 'sentences', 'BLEU', 'chrF2', 'exact match %'], rows)}\n` +
    `Multi-reference (each distinct source once, scored against all its references in the split):\n\n` +
    `${resultsTable(['split', 'sources', 'max references', 'BLEU', 'chrF2'], multiRows)}\n${training}`;
  writeResults(expDir, { title: `${name} results`, body, scores });
}
