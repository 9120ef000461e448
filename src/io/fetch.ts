/**
 * Reading a model directory over HTTP(S) with `fetch` (the browser's counterpart of reading
 * files): `base` is the directory's URL, resolved against the page's address when relative.
 */
import { parseJson } from './json.ts';

/** The URL of `name` inside the directory at `base` ('models/x' and 'models/x/' are the same directory). */
export function fileUrl(base: string | URL, name: string): URL {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  let dir: URL;
  try {
    dir = new URL(base, page);
  } catch {
    throw new Error(`model URL '${base}': not an absolute URL, and there is no page to resolve it against`);
  }
  if (!dir.pathname.endsWith('/')) dir.pathname += '/';
  return new URL(name, dir);
}

async function get(url: URL): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`${url}: cannot fetch (${(err as Error).message})`);
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  return response;
}

/** The bytes of `name` in the directory at `base`; errors name the URL and the HTTP status. */
export async function fetchBytes(base: string | URL, name: string): Promise<Uint8Array> {
  return new Uint8Array(await (await get(fileUrl(base, name))).arrayBuffer());
}

/** `name` in the directory at `base`, parsed as JSON; errors name the URL and never quote the text. */
export async function fetchJson<T>(base: string | URL, name: string): Promise<T> {
  const url = fileUrl(base, name);
  return parseJson(await (await get(url)).text(), String(url)) as T;
}

/**
 * Promise.all for fetches that go out together, with a deterministic error: it waits for every
 * one and, if any failed, throws the first failure in argument order (so a missing directory is
 * reported as its model.json, however the responses raced).
 */
export async function fetchAll<T extends readonly unknown[]>(fetches: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(fetches as readonly Promise<unknown>[]);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
