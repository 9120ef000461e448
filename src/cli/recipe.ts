/**
 * `sori recipe NAME [flags]` (and `npm run recipe -- NAME [flags]`): runs recipes/NAME/run.ts,
 * whose default export takes the remaining arguments. Recipes parse their own flags
 * (parseRecipeArgs), so this command passes them through untouched, except `--backend`.
 * `sori recipe --help` lists the recipes; `sori recipe NAME --help` the recipe's stages and
 * config keys. The `backend: NAME` line goes to stderr, so stdout holds only what the recipe prints.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../index.ts';

const recipesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../recipes');

/** Names of the recipes that have a run.ts. */
export function listRecipes(): string[] {
  if (!existsSync(recipesDir)) return [];
  return readdirSync(recipesDir).filter((d) => existsSync(join(recipesDir, d, 'run.ts'))).sort();
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
  const mod = await import(join(recipesDir, name, 'run.ts'));
  await mod.default(args);
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
