/**
 * The command line every recipe shares:
 *
 *   npm run recipe -- NAME [--stage N] [--stop-stage N] [--force] [--resume] [--exp-dir DIR]
 *                          [--section.key=value | --section.key value ...] [--ALIAS value ...]
 *                          [--help | -h]
 *
 * Dotted flags override the recipe's config (`--model.hiddenSize=64`); aliases are short names a
 * recipe gives to config keys (`--data` for `data.path`). Anything else is an error. `--force`
 * re-runs the stages in range even when their markers say they are done (stages.ts). `--help`
 * asks runStages to print the stages and config keys instead of running anything.
 */
import { configKeys, resolveConfig, type Config, type ConfigValue } from '../train/config.ts';

export interface RecipeArgs<C extends Config> {
  stage: number;
  stopStage: number;
  resume: boolean;
  /** Re-run the stages in range even when their markers match. */
  force: boolean;
  /** Where everything the recipe learns goes (default exp/NAME). */
  expDir: string;
  config: C;
  /**
   * Set by --help/-h: the usage and config part of the recipe's help (recipeHelp); runStages then
   * prints it with the stages and runs nothing. `config` is the defaults.
   */
  help?: string;
}

/** A config value's type as help shows it: number, string, boolean, number[], string[] … */
function typeName(v: ConfigValue): string {
  if (v === null) return 'string|null';
  if (Array.isArray(v)) return `${v.length ? typeName(v[0]) : 'string'}[]`;
  return typeof v;
}

/** Usage, flags and every config key of recipe `name` with its type and default. */
export function recipeHelp(name: string, defaults: Config, aliases: Record<string, string> = {}): string {
  const keys = configKeys(defaults);
  const valueOf = (key: string) => key.split('.').reduce<ConfigValue>((node, k) => (node as Config)[k], defaults);
  const width = Math.max(...keys.map((k) => k.length));
  const aliasOf = Object.fromEntries(Object.entries(aliases).map(([a, k]) => [k, a]));
  return [
    `Usage: sori recipe ${name} [--stage N] [--stop-stage N] [--force] [--resume] [--exp-dir DIR] [--section.key=value ...]`,
    '',
    'Flags:',
    '  --stage N, --stop-stage N  run the stages numbered N to M (default: all)',
    '  --force                    re-run the stages in range even if their inputs and config are unchanged',
    '  --resume                   continue an interrupted training from its last checkpoint',
    `  --exp-dir DIR              where the experiment goes (default exp/${name})`,
    '  --backend node|wasm|cpu    tensor backend',
    '',
    'Config (override a key with --section.key=value; arrays as 1,2,3 or JSON):',
    ...keys.map((k) => {
      const v = valueOf(k);
      const alias = aliasOf[k] ? `  (alias --${aliasOf[k]})` : '';
      return `  ${k.padEnd(width)}  ${typeName(v).padEnd(9)}  ${JSON.stringify(v)}${alias}`;
    }),
  ].join('\n');
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
  let force = false;
  let expDir = `exp/${name}`;
  const overrides: Record<string, string> = {};
  if (argv.includes('--help') || argv.includes('-h')) {
    return { stage, stopStage, resume, force, expDir, config: structuredClone(defaults), help: recipeHelp(name, defaults, aliases) };
  }
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
    const flag = (): boolean => {
      const v = eq < 0 ? 'true' : takeValue();
      if (v !== 'true' && v !== 'false') throw new Error(`recipe ${name}: --${key} expects true or false, got '${v}'`);
      return v === 'true';
    };
    if (key === 'stage') stage = int(takeValue());
    else if (key === 'stop-stage') stopStage = int(takeValue());
    else if (key === 'resume') resume = flag();
    else if (key === 'force') force = flag();
    else if (key === 'exp-dir') expDir = takeValue();
    else if (key in aliases) overrides[aliases[key]] = takeValue();
    else if (key.includes('.')) overrides[key] = takeValue();
    else {
      const known = ['stage', 'stop-stage', 'force', 'resume', 'exp-dir', 'help', ...Object.keys(aliases)];
      throw new Error(`recipe ${name}: unknown flag --${key} (flags: ${known.map((k) => '--' + k).join(', ')}, or --section.key=value)`);
    }
  }
  return { stage, stopStage, resume, force, expDir, config: resolveConfig(defaults, overrides) };
}
