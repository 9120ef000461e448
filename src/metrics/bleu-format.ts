/**
 * BLEU as sacreBLEU prints it (`sacrebleu REF -i HYP -f text`, sacreBLEU 2.x):
 *
 *   BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:sori-0.1.0 = 50.0 80.0/62.5/50.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 10 ref_len = 10)
 *
 * The signature names the settings (number of references, case, effective order, tokeniser,
 * smoothing) so two scores can be compared; its version field names this implementation, which
 * reproduces sacreBLEU 2.6.0's numbers (test/fixtures/metrics/sacrebleu-lines.json).
 */
import type { BleuOptions, BleuScore } from './bleu.ts';

/** sacreBLEU's signature of BLEU computed with `options` against `nrefs` reference streams. */
export function bleuSignature(nrefs: number, options: BleuOptions = {}, version = 'sori-0.1.0'): string {
  return [
    `nrefs:${nrefs}`,
    `case:${options.lowercase ? 'lc' : 'mixed'}`,
    `eff:${options.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${options.tokenize ?? '13a'}`,
    `smooth:${options.smoothMethod ?? 'exp'}`,
    `version:${version}`,
  ].join('|');
}

/**
 * sacreBLEU's text line: `BLEU|SIGNATURE = score p1/p2/p3/p4 (BP = … ratio = … hyp_len = … ref_len = …)`,
 * the score with `width` decimals (sacreBLEU's -w, default 1).
 */
export function formatBleu(score: BleuScore, signature: string, width = 1): string {
  const ratio = score.refLen > 0 ? score.sysLen / score.refLen : 0;
  const precisions = score.precisions.map((p) => p.toFixed(1)).join('/');
  return (
    `BLEU|${signature} = ${score.score.toFixed(width)} ${precisions} ` +
    `(BP = ${score.bp.toFixed(3)} ratio = ${ratio.toFixed(3)} hyp_len = ${score.sysLen} ref_len = ${score.refLen})`
  );
}
