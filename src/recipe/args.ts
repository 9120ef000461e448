/**
 * The command line every recipe shares:
 *
 *   npm run recipe -- NAME [--stage N] [--stop-stage N] [--resume] [--exp-dir DIR]
 *                          [--section.key=value | --section.key value ...] [--ALIAS value ...]
 *
 * Dotted flags override the recipe's config (`--model.hidden=64`); aliases are short names a
 * recipe gives to config keys (`--data` for `data.path`). Anything else is an error.
 */
import { resolveConfig, type Config } from '../train/config.ts';

export interface RecipeArgs<C extends Config> {
  stage: number;
  stopStage: number;
  resume: boolean;
  /** Where everything the recipe learns goes (default exp/NAME). */
  expDir: string;
  config: C;
}

/** Parse a recipe's arguments against its default config. */
export function parseRecipeArgs<C extends Config>(
  name: string,
  argv: string[],
  defaults: C,
  aliases: Record<string, string> = {},
): RecipeArgs<C> {
  let stage = 0;
  let stopStage = Number.MAX_SAFE_INTEGER;
  let resume = false;
  let expDir = `exp/${name}`;
  const overrides: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new Error(`recipe ${name}: unexpected argument '${token}'`);
    const eq = token.indexOf('=');
    const key = token.slice(2, eq < 0 ? undefined : eq);
    const takeValue = (): string => {
      if (eq >= 0) return token.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`recipe ${name}: --${key} needs a value`);
      i++;
      return next;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error(`recipe ${name}: --${key} expects an integer, got '${v}'`);
      return n;
    };
    if (key === 'stage') stage = int(takeValue());
    else if (key === 'stop-stage') stopStage = int(takeValue());
    else if (key === 'resume') resume = eq < 0 ? true : takeValue() !== 'false';
    else if (key === 'exp-dir') expDir = takeValue();
    else if (key in aliases) overrides[aliases[key]] = takeValue();
    else if (key.includes('.')) overrides[key] = takeValue();
    else {
      const known = ['stage', 'stop-stage', 'resume', 'exp-dir', ...Object.keys(aliases)];
      throw new Error(`recipe ${name}: unknown flag --${key} (flags: ${known.map((k) => '--' + k).join(', ')}, or --section.key=value)`);
    }
  }
  return { stage, stopStage, resume, expDir, config: resolveConfig(defaults, overrides) };
}
