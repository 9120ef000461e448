// A static file server for the demo page and the browser tests (no dependency): serves the
// repository root, so that the page reaches ../../dist/browser/sori.js and ../../exp/*/model/.
//
//   npm run demo:web            → http://localhost:8080/examples/web/
//   PORT=9000 node examples/web/server.mjs
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.safetensors': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serve `root` on `port` (0: any free port). `mounts` maps a URL prefix ('/models/asr/') to a
 * directory served in its place. Resolves to { server, url }.
 */
export function startServer({ root, port = 0, mounts = {} }) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const base = mount ? resolve(mounts[mount]) : resolve(root);
    let file = normalize(join(base, mount ? path.slice(mount.length) : path));
    if (!file.startsWith(base)) return void res.writeHead(403).end('forbidden');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`${path}: not found`);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    server.listen(port, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '../..');
  if (!existsSync(join(root, 'dist/browser/sori.js'))) console.error('dist/browser/sori.js is missing: run `npm run build` first');
  const { url } = await startServer({ root, port: Number(process.env.PORT ?? 8080) });
  console.log(`sori demo: ${url}/examples/web/  (models from exp/annyeong/model and exp/toy-translation/model)`);
}
