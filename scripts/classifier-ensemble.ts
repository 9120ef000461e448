/**
 * Accuracy on a classification recipe's dev and heldout splits of each member of the saved model
 * directories, and of all of them averaged (the mean of every member's class probabilities, as
 * one model directory with those members would give):
 *
 *   npx tsx scripts/classifier-ensemble.ts exp/imdb/data exp/imdb/model [exp/imdb-s56/model …]
 *
 * How README's "trained alone, then averaged" rows were measured.
 */
import { classIds, readSplit } from '../recipes/classification/data.ts';
import { initBackend, loadTextClassifier, textClassifier, type TextClassifier } from '../src/index.ts';

const [dataDir, ...modelDirs] = process.argv.slice(2);
if (!dataDir || modelDirs.length === 0) throw new Error('usage: npx tsx scripts/classifier-ensemble.ts DATA_DIR MODEL_DIR [MODEL_DIR …]');
await initBackend();
const loaded = modelDirs.map(loadTextClassifier);
const members: TextClassifier[] = loaded.flatMap((c) => c.models.map((m) => textClassifier(m, c.vocabulary, c.text, c.labels)));
for (const split of ['dev', 'heldout']) {
  const rows = readSplit(dataDir, split);
  const texts = rows.map((r) => r.text);
  const gold = classIds(rows, members[0].labels, split);
  const accuracy = (p: number[][]) => (100 * p.filter((row, i) => row.indexOf(Math.max(...row)) === gold[i]).length) / gold.length;
  const each = members.map((m) => m.probabilities(texts, { batchSize: 128 }));
  const mean = each[0].map((row, i) => row.map((_, k) => each.reduce((sum, p) => sum + p[i][k], 0) / each.length));
  console.log(`${split} (${rows.length}): members ${each.map((p) => accuracy(p).toFixed(2)).join(' ')}; all ${each.length} averaged ${accuracy(mean).toFixed(2)}`);
}
loaded.forEach((c) => c.dispose());
