/**
 * `sori recipe NAME [flags]` (and `npm run recipe -- NAME [flags]`): runs recipes/NAME/run.ts,
 * whose default export takes the remaining arguments. Recipes parse their own flags
 * (parseRecipeArgs), so this command passes them through untouched.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const recipesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../recipes');

/** Names of the recipes that have a run.ts. */
export function listRecipes(): string[] {
  if (!existsSync(recipesDir)) return [];
  return readdirSync(recipesDir).filter((d) => existsSync(join(recipesDir, d, 'run.ts'))).sort();
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
