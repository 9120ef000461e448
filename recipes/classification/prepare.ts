/**
 * Stage 1 of a classification recipe: read the labelled TSV, split dev and heldout out of it with
 * a seed (by group when data.groupColumn is set: every review of a held-out movie lands in one
 * split), and build the top-N vocabulary from train → exp/NAME/data/{train,dev,heldout}.tsv,
 * vocabulary.json, labels.json. Dev picks the epoch; nothing selects on heldout.
 */
import { join } from 'node:path';
import { readLabelledTsv, splitDevHeldout, textUnits, topVocabulary, writeFileAtomic, writeJsonAtomic, type LabelledText } from '../../src/index.ts';
import type { ClassificationRecipeConfig } from './data.ts';

export function prepare(cfg: ClassificationRecipeConfig, dataDir: string): void {
  const { path, textColumn, labelColumn, groupColumn, devFraction, heldoutFraction, seed } = cfg.data;
  const rows = readLabelledTsv(path, { textColumn, labelColumn, groupColumn });
  const { train, dev, heldout } = splitDevHeldout(rows, { devFraction, heldoutFraction, seed, byGroup: groupColumn !== '' });
  const labels = [...new Set(train.map((r) => r.label))].sort();
  if (labels.length < 2) throw new Error(`${path}: the training split has ${labels.length} label(s) (${labels.join(', ')}); a classifier needs at least 2`);
  const tsv = (rs: LabelledText[]) => 'label\ttext\n' + rs.map((r) => `${r.label}\t${r.text}`).join('\n') + '\n';
  writeFileAtomic(join(dataDir, 'train.tsv'), tsv(train));
  writeFileAtomic(join(dataDir, 'dev.tsv'), tsv(dev));
  if (heldout.length > 0) writeFileAtomic(join(dataDir, 'heldout.tsv'), tsv(heldout));
  const vocabulary = topVocabulary(
    train.map((r) => textUnits(r.text, cfg.text.unit)),
    cfg.text.vocabSize,
    cfg.text.unit === 'word' ? 'word' : 'character',
  );
  writeJsonAtomic(join(dataDir, 'vocabulary.json'), vocabulary.toJSON());
  writeJsonAtomic(join(dataDir, 'labels.json'), { labels });
  const groups = (rs: LabelledText[]) => (groupColumn ? `, ${new Set(rs.map((r) => r.group)).size} ${groupColumn}s` : '');
  console.log(`  train: ${train.length} texts${groups(train)}; dev: ${dev.length} texts${groups(dev)}; heldout: ${heldout.length} texts${groups(heldout)}`);
  console.log(`  labels: ${labels.join(', ')}; vocabulary: ${vocabulary.size} ${cfg.text.unit} units`);
}
