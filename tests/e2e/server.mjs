// A small static server for the site (no server logic): correct MIME types, the same
// Content-Security-Policy as the page's meta tag, and nothing outside the served root.
// Usage: node tests/e2e/server.mjs [root=www] [port=8080] [host=127.0.0.1]
import { createServer } from 'node:http';
import { readFile, stat, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.geojson': 'application/geo+json',
  '.csv': 'text/csv; charset=utf-8', '.zip': 'application/zip', '.svg': 'image/svg+xml', '.png': 'image/png', '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function serve(root, port = 0, host = '127.0.0.1') {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = resolve(join(base, path));
      if (!(file === base || file.startsWith(base + sep))) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      // www/pkg is a symlink to ../pkg (the generated package); follow it, nothing else.
      const real = await realpath(file);
      const allowed = [await realpath(base), resolve(base, '..', 'pkg')];
      if (!allowed.some((r) => real === r || real.startsWith(r + sep))) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      const info = await stat(real);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(real);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(e.code === 'ENOENT' ? 'not found' : 'error');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

/** Serves on `port`, or, when it is taken, on the next free one of the following `tries`. */
async function serveFree(root, port, host, tries = 20) {
  for (let p = port; p < port + tries; p++) {
    try {
      return await serve(root, p, host);
    } catch (e) {
      if (e.code !== 'EADDRINUSE') throw e;
      console.log(`port ${p} is in use; trying ${p + 1}`);
    }
  }
  throw new Error(`ports ${port}..${port + tries - 1} are all in use; set PORT=<free port>`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root = 'www', port = '8080', host = '127.0.0.1'] = process.argv.slice(2);
  const server = await serveFree(root, Number(port), host);
  const { port: p } = server.address();
  console.log(`Borderless is served at http://${host}:${p}/ (demo survey loads on open). Ctrl-C stops.`);
}
