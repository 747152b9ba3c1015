// Serving the studio's own files, in one place for the web build's server (scripts/serve.mjs)
// and the desktop app's app:// protocol (main/app-protocol.ts): the same security headers (a
// strict CSP, and COOP/COEP so that WASM threads may share memory), the content types, and a
// path lookup that cannot leave the build folder (bad escapes are refused, never thrown).
// Plain JavaScript, so the server runs in Node without a build; types in static-files.d.mts.
import { extname, join, resolve, sep } from 'node:path';

/** The CSP the page's meta tag, the web server and the desktop protocol all use. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
});

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
};

export function contentType(file) {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or why not: 400 for a malformed escape or a NUL,
 * 403 for a path that leads outside the folder (compared as resolved paths with a separator, so
 * a sibling folder whose name starts like it is outside too).
 */
export function resolveStaticPath(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-escape in the path' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL in the path' };
  const base = resolve(root);
  const path = resolve(join(base, decoded));
  if (path !== base && !path.startsWith(base + sep))
    return { ok: false, status: 403, reason: 'the path leads outside the app folder' };
  return { ok: true, path };
}
