/**
 * The reference streams of a corpus metric (BLEU, chrF): one stream [N] of references, one per
 * hypothesis, or several streams [K][N] (sacreBLEU's layout), each checked against the N hypotheses.
 */
export function referenceStreams(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
): readonly (readonly string[])[] {
  const streams =
    references.length > 0 && typeof references[0] === 'string' ? [references as readonly string[]] : (references as readonly (readonly string[])[]);
  streams.forEach((stream, k) => {
    if (stream.length !== hypotheses.length) {
      throw new Error(`references[${k}]: expected ${hypotheses.length} sentences (one per hypothesis), got ${stream.length}`);
    }
  });
  if (streams.length === 0 && hypotheses.length > 0) throw new Error('references: no reference stream given');
  return streams;
}
