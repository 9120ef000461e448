/**
 * JSON from outside (model files, weights headers): errors name the source and the position,
 * never the text (a symlinked model.json must not leak /etc/shadow into a message). No Node
 * imports: the browser entry parses fetched files with it too.
 */

/** Parse JSON text; the error names `source` and the position, never the text. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    const cut = /end of JSON input/.test((err as Error).message);
    const where = text.trim() === '' ? ' (the file is empty)' : cut ? ' (it ends before the value does: cut off?)' : at !== undefined ? ` (at byte ${at})` : '';
    throw new Error(`${source} is not valid JSON${where}`);
  }
}
