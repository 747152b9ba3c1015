// A small static server for the web build, on 127.0.0.1, with the same security headers and
// path rules as the desktop app's app:// protocol (src/shared/static-files.mjs). A bad request
// is answered (400, 403, 404), never allowed to crash the server.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentType, resolveStaticPath, SECURITY_HEADERS } from '../src/shared/static-files.mjs';

export const HEADERS = SECURITY_HEADERS;

export function serve(root, port = 0, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const found = resolveStaticPath(root, url.pathname);
      if (!found.ok) return void res.writeHead(found.status, HEADERS).end(found.reason);
      const file = (await stat(found.path)).isDirectory() ? join(found.path, 'index.html') : found.path;
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': contentType(file), ...HEADERS });
      res.end(body);
    } catch {
      if (!res.headersSent) res.writeHead(404, HEADERS);
      res.end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? 'dist-web';
  const port = Number(process.env.PORT ?? 5174);
  const server = await serve(root, port);
  console.log(`homemade-grad web build at http://127.0.0.1:${server.address().port}/`);
}
