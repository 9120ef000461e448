/**
 * yargs drops a lone '-' from the command line (`sori score --hyp -` reads as `--hyp ''`,
 * `sori transcribe -` as no file at all). keepDashes hides each '-' from it behind a marker before
 * parsing and restoreDashes turns the marker back into '-' before any command sees its
 * arguments, so that '-' can mean standard input.
 */

const MARK = '\u0000-';

/** The arguments with every lone '-' marked (yargs then takes it as an option's value or a positional). */
export function keepDashes(args: readonly string[]): string[] {
  return args.map((a) => (a === '-' ? MARK : a));
}

/** yargs middleware: every marked value of `argv` (and of its arrays) back to '-'. */
export function restoreDashes(argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (v === MARK) argv[k] = '-';
    else if (Array.isArray(v)) argv[k] = v.map((x) => (x === MARK ? '-' : x));
  }
}
