/**
 * `sori recipe NAME [flags]` (and `npm run recipe -- NAME [flags]`): runs recipes/NAME/run.ts
 * (run.js in the npm package),
 * whose default export takes the remaining arguments. Recipes parse their own flags
 * (parseRecipeArgs), so this command passes them through untouched, except `--backend`.
 * `sori recipe --help` lists the recipes; `sori recipe NAME --help` the recipe's stages and
 * config keys. The `backend: NAME` line goes to stderr, so stdout holds only what the recipe prints.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initBackend } from '../index.ts';

// recipes/ beside src/ (a clone, run by tsx), or dist/recipes beside dist/src (the npm package)
const recipesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../recipes');
const runFile = (name: string) => ['run.ts', 'run.js'].map((f) => join(recipesDir, name, f)).find(existsSync);

/** Names of the recipes that have a run file. */
export function listRecipes(): string[] {
  if (!existsSync(recipesDir)) return [];
  return readdirSync(recipesDir).filter((d) => runFile(d) !== undefined).sort();
}

/** What `sori recipe --help` prints. */
export function recipeUsage(): string {
  return [
    'Usage: sori recipe NAME [--stage N] [--stop-stage N] [--force] [--resume] [--exp-dir DIR]',
    '                        [--section.key=value ...] [--backend node|wasm|cpu]',
    '',
    'Runs recipes/NAME/run.ts stage by stage; a stage whose inputs and config are unchanged since',
    'it last finished is skipped (--force re-runs it).',
    '',
    `Recipes: ${listRecipes().join(', ') || 'none'}`,
    'sori recipe NAME --help lists its stages and every config key with its type and default.',
  ].join('\n');
}

/** Run recipe `name` with `args`. */
export async function runRecipe(name: string | undefined, args: string[]): Promise<void> {
  const names = listRecipes();
  if (!name || !names.includes(name)) {
    throw new Error(`recipe: ${name ? `unknown recipe '${name}'` : 'name a recipe'} (recipes: ${names.join(', ') || 'none'})`);
  }
  const mod = await import(pathToFileURL(runFile(name)!).href);
  try {
    await mod.default(args);
  } catch (err) {
    throw missingCorpus(err as NodeJS.ErrnoException) ?? err;
  }
}

/**
 * A corpus file that is not there (ENOENT on a path under corpora/): say where corpora come
 * from, since the npm package ships none (a recipe run from it reads corpora/ under the
 * current directory).
 */
function missingCorpus(err: NodeJS.ErrnoException): Error | null {
  if (err.code !== 'ENOENT' || !/corpora\//.test(err.message)) return null;
  return new Error(
    `${err.message}\n  The corpora are not in the npm package: run the recipe from the root of a clone of the ` +
      `sori repository (its corpora/ directory), or point the recipe at a copy ` +
      `(--data.corpus=PATH; tatoeba: --data PATH/kor.txt).`,
  );
}

/** `sori recipe …` with the arguments after `recipe`. */
export async function recipeMain(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(recipeUsage());
    if (name === undefined) throw new Error('recipe: name a recipe');
    return;
  }
  const b = rest.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  let backend: string | undefined;
  if (b >= 0) {
    backend = rest[b].includes('=') ? rest[b].split('=')[1] : rest[b + 1];
    rest.splice(b, rest[b].includes('=') ? 1 : 2);
  }
  if (!rest.some((a) => a === '--help' || a === '-h')) {
    const info = await initBackend(backend);
    console.error(`backend: ${info.name}`);
  }
  await runRecipe(name, rest);
}
