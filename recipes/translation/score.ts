/**
 * Stage 4 of the translation recipes: corpus BLEU (sacreBLEU's defaults) and exact match of each
 * eval split's hypotheses → exp/NAME/RESULTS.md and scores.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bleuSignature, corpusBleu, exactMatch, formatBleu, readHypotheses, resultsTable, writeResults } from '../../src/index.ts';
import { normalizedReferences, readSplit, readVocabulary, type TranslationRecipeConfig } from './data.ts';

export function score(
  name: string,
  { expDir, dataDir, decodeDir }: { expDir: string; dataDir: string; decodeDir: string },
  cfg: TranslationRecipeConfig,
): void {
  const target = readVocabulary(dataDir, 'target');
  const rows: (string | number)[][] = [];
  const scores: Record<string, { bleu: number; exact: number; sentences: number }> = {};
  const lines: string[] = [];
  for (const split of cfg.decode.evalSets) {
    const refs = normalizedReferences(readSplit(dataDir, split), target);
    const hyps = readHypotheses(decodeDir, split).slice(0, refs.length);
    while (hyps.length < refs.length) hyps.push('');
    const bleu = corpusBleu(hyps, refs);
    const exact = exactMatch(hyps, refs);
    scores[split] = { bleu: bleu.score, exact, sentences: refs.length };
    rows.push([split, refs.length, bleu.score.toFixed(2), (100 * exact).toFixed(2)]);
    lines.push(`${formatBleu(bleu, bleuSignature(1), 2)} decode/${split}`);
  }
  const historyPath = join(expDir, 'train-history.json');
  const history = existsSync(historyPath) ? JSON.parse(readFileSync(historyPath, 'utf8')) : undefined;
  const training = history
    ? `\nTraining: ${history.epoch} epochs (${history.steps} steps; best dev at epoch ${history.bestEpoch}), ` +
      `${Number(history.seconds).toFixed(0)} s of training in the last run.\n`
    : '';
  const m = cfg.model;
  const body =
    `Model: ${m.cell.toUpperCase()} ${m.bidirectional ? 'bidirectional ' : ''}encoder, ${m.numLayers} layer(s), H=${m.hiddenSize}, ` +
    `E=${m.embeddingSize}, attention ${m.attention}, dropout ${m.dropout}; ` +
    `text ${cfg.text.sourceLevel} → ${cfg.text.targetLevel}; label smoothing ${cfg.train.labelSmoothing}; ` +
    `decoding ${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'}. ` +
    `BLEU is corpus BLEU with sacreBLEU's defaults (13a, exp smoothing).\n\n` +
    ['```', ...lines, '```', ''].join('\n') +
    `${resultsTable(['split', 'sentences', 'BLEU', 'exact match %'], rows)}\n${training}`;
  writeResults(expDir, { title: `${name} results`, body, scores });
}
