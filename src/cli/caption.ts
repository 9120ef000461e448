/**
 * `sori caption --model DIR [--beam N] [--attention out.json] [--json] IMAGE …`
 *
 * Prints one line per image, in order: `PATH<TAB>CAPTION` (with `--json`, one { path, caption }
 * object per line). The path '-' reads one image from standard input. An image that cannot be read (missing,
 * not PNG/JPEG, corrupt) gets its error on standard error, naming the file, and no line; the other
 * images still get their captions, and the exit code is 1. `--attention` writes, atomically, a
 * JSON array with one entry per captioned image:
 * { path, caption, tokens [U], gridSide, attention [U][G] } (G = gridSide², cells row-major); a
 * failure to write it is reported like an unreadable image (exit code 1), the captions still printed.
 */
import type { CommandModule } from 'yargs';
import { checkBeam, loadCaptioner, MAX_IMAGE_BYTES, readRegularFile, writeJsonAtomic } from '../index.ts';
import { trySideOutput } from './side-output.ts';
import { readBytes } from './stdin.ts';
import { jsonOption, printJson } from './json.ts';

interface CaptionArgs {
  model: string;
  beam: number;
  attention?: string;
  images: string[];
  json: boolean;
}

/** Caption `paths` with the model in `model`: output lines, and the errors of unreadable files. */
export function captionFiles(
  paths: readonly string[],
  { model, beam = 1, attention, stdin }: { model: string; beam?: number; attention?: string; stdin?: Uint8Array },
): { lines: string[]; captions: { path: string; caption: string }[]; errors: string[] } {
  checkBeam(beam, '--beam');
  const captioner = loadCaptioner(model);
  try {
    const readFile = (path: string) => (path === '-' && stdin ? stdin : readRegularFile(path, { what: 'image', maxBytes: MAX_IMAGE_BYTES }));
    const out = captioner.captionFiles(paths, { beamWidth: beam, readFile });
    const entries = out.flatMap((r) =>
      r.caption ? [{ path: r.path, caption: r.caption.text, tokens: r.caption.tokens, gridSide: r.caption.gridSide, attention: r.caption.attention }] : [],
    );
    // a side output: its failure is one more error, the captions are still returned
    const failed = attention ? trySideOutput('--attention', () => writeJsonAtomic(attention, entries), `the ${entries.length} captions were written`) : null;
    return {
      lines: out.flatMap((r) => (r.caption ? [`${r.path}\t${r.caption.text}`] : [])),
      captions: out.flatMap((r) => (r.caption ? [{ path: r.path, caption: r.caption.text }] : [])),
      errors: [...out.flatMap((r) => (r.error !== undefined ? [r.error] : [])), ...(failed ? [failed] : [])],
    };
  } finally {
    captioner.dispose();
  }
}

export const captionCommand: CommandModule<object, CaptionArgs> = {
  command: 'caption <images..>',
  describe: 'Caption images (PNG or JPEG) with an image-captioning model directory',
  builder: (y) =>
    y
      .positional('images', { type: 'string', array: true, demandOption: true, describe: 'image files' })
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors, vocabulary.json)' })
      .option('beam', { type: 'number', default: 1, describe: '1: greedy search; K > 1: beam search with K beams' })
      .option('attention', { type: 'string', describe: 'write each caption\'s attention maps over the grid to this JSON file' })
      .option('json', { ...jsonOption, describe: 'print one { path, caption } JSON object per line' }),
  handler: async (argv) => {
    const images = argv.images.map(String);
    if (images.filter((p) => p === '-').length > 1) throw new Error(`caption: '-' (standard input) can be given once, got it ${images.filter((p) => p === '-').length} times`);
    let stdin: Uint8Array | undefined;
    if (images.includes('-')) {
      stdin = await readBytes(process.stdin, { what: "image '-' (standard input)", maxBytes: MAX_IMAGE_BYTES });
    }
    const { lines, captions, errors } = captionFiles(images, { model: argv.model, beam: argv.beam, attention: argv.attention, stdin });
    if (argv.json) captions.forEach((c) => printJson(c));
    else if (lines.length) process.stdout.write(lines.join('\n') + '\n');
    for (const e of errors) process.stderr.write(`sori caption: ${e}\n`);
    if (errors.length) process.exitCode = 1;
  },
};
