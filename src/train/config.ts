/**
 * Configuration: each component has one typed default object; a recipe composes them in its
 * single config file; command-line overrides address a key by its dotted path
 * (`--model.hidden=64`). Unknown keys are errors, and values are parsed by the type of the
 * default they replace, so a typo can never be silently ignored. Every value is then checked
 * against its stated range (config-ranges.ts) before anything is allocated.
 */
import { writeJsonAtomic } from '../io/atomic.ts';
import { checkConfigValue, validateConfig } from '../io/config-ranges.ts';

/** A nested configuration object of numbers, strings, booleans and arrays of them. */
export type Config = { [key: string]: ConfigValue };
export type ConfigValue = number | string | boolean | null | ConfigValue[] | Config;

function isObject(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every dotted key path of `config` that holds a leaf value. */
export function configKeys(config: Config, prefix = ''): string[] {
  return Object.entries(config).flatMap(([k, v]) =>
    isObject(v) ? configKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function parseValue(key: string, raw: string, like: ConfigValue): ConfigValue {
  if (typeof like === 'number') {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new Error(`--${key}: expected a number, got '${raw}'`);
    return v;
  }
  if (typeof like === 'boolean') {
    if (raw === 'true' || raw === '') return true;
    if (raw === 'false') return false;
    throw new Error(`--${key}: expected true or false, got '${raw}'`);
  }
  if (Array.isArray(like)) {
    try {
      const v = JSON.parse(raw);
      if (Array.isArray(v)) return v;
    } catch {
      /* fall through to comma-separated */
    }
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return like.length && typeof like[0] === 'number' ? items.map((s) => parseValue(key, s, 0)) : items;
  }
  return raw; // strings, and keys whose default is null
}

/**
 * A deep copy of `defaults` with `overrides` applied.
 *
 * @param overrides `{ 'model.hidden': '64' }` or `['model.hidden=64', ...]`; each key must be a
 *   leaf path of `defaults`, each value parses as the type of the default it replaces.
 */
export function resolveConfig<T extends Config>(
  defaults: T,
  overrides: Record<string, string> | string[] = {},
): T {
  const pairs = Array.isArray(overrides)
    ? overrides.map((o) => {
        const eq = o.indexOf('=');
        if (eq < 0) throw new Error(`config override '${o}': expected key=value`);
        return [o.slice(0, eq).replace(/^--/, ''), o.slice(eq + 1)] as [string, string];
      })
    : Object.entries(overrides);
  const resolved = structuredClone(defaults) as T;
  const known = configKeys(defaults);
  for (const [key, raw] of pairs) {
    if (!known.includes(key)) {
      const head = key.split('.')[0];
      const near = known.filter((k) => k.startsWith(head + '.') || k.endsWith('.' + key.split('.').pop()));
      throw new Error(
        `unknown config key '${key}'` + (near.length ? ` (did you mean ${near.join(', ')}?)` : ` (keys: ${known.join(', ')})`),
      );
    }
    const path = key.split('.');
    let node: Config = resolved;
    for (const p of path.slice(0, -1)) node = node[p] as Config;
    const leaf = path[path.length - 1];
    node[leaf] = parseValue(key, raw, node[leaf]);
    checkConfigValue(`--${key}`, leaf, node[leaf]);
  }
  validateConfig(resolved, 'config'); // the defaults too: nothing outside its range reaches a component
  return resolved;
}

/** Write the resolved configuration as JSON (atomically), e.g. to exp/NAME/config.json. */
export function writeConfig(path: string, config: Config): void {
  writeJsonAtomic(path, config);
}
