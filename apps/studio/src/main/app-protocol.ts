// The desktop app serves its renderer over its own app:// protocol rather than file://, so that
// the page gets the same headers as the web build (a strict CSP, COOP/COEP for the WASM threads'
// shared memory), which file:// pages never receive. The response logic is plain (Request in,
// Response out) and tested without Electron; index.ts registers it with protocol.handle.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentType, resolveStaticPath, SECURITY_HEADERS } from '../shared/static-files.mjs';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
/** The app's one page: what may call main over IPC and what a window may show. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The privileges the scheme needs (registered before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  stream: true,
  codeCache: true,
} as const;

const answer = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  });

/** Answers one request for the app's files under `root` (the built renderer). */
export async function appProtocolResponse(root: string, request: Request): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return answer(400, 'malformed address');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return answer(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'only GET');
  const found = resolveStaticPath(root, url.pathname);
  if (!found.ok) return answer(found.status, found.reason);
  try {
    const file = (await stat(found.path)).isDirectory() ? join(found.path, 'index.html') : found.path;
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { 'Content-Type': contentType(file), ...SECURITY_HEADERS },
    });
  } catch {
    return answer(404, 'not found');
  }
}

/** Where the window loads the page from: a dev server only in development, else app://. */
export function rendererUrl(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): string {
  const dev = isPackaged ? undefined : env.ELECTRON_RENDERER_URL;
  return dev || APP_URL;
}
