/**
 * Text lines as every platform ends them: LF (Unix), CR LF (Windows) and a lone CR (classic Mac
 * OS, some exports): a CR-only file of 5 lines is 5 lines, not 1. A final line ending gives no
 * empty last line; an empty text gives no lines.
 */

/** Split `text` into lines at LF, CR LF or CR. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The lines of a byte or text stream as they arrive (UTF-8 decoded across chunk boundaries, a CR
 * LF split between two chunks counted once), so a consumer can answer each line before the
 * stream ends, and memory holds one line at a time.
 */
export async function* streamLines(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let afterCR = false; // the previous chunk ended in CR: a leading LF belongs to it
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (afterCR && text.startsWith('\n')) text = text.slice(1);
    afterCR = false;
    pending += text;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      yield pending.slice(start, i);
      if (c === 13) {
        if (i + 1 < pending.length) {
          if (pending.charCodeAt(i + 1) === 10) i++;
        } else afterCR = true;
      }
      start = i + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== '') yield pending;
}

/**
 * `text` made safe for one line of terminal output: a backslash, a control character (newline,
 * CR, tab, ESC of an ANSI sequence, DEL, C1 controls) or a line/paragraph separator is written as
 * an escape (`\\`, `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`), so a file named "a\nb" or "\x1b[2J" takes
 * one line and cannot drive the terminal. Other text (Hangul included) is unchanged.
 */
export function escapeForLine(text: string): string {
  return text.replace(/[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
