// The web build's server: security headers on every answer, no file outside the build folder
// (not even a sibling folder whose name starts alike), and a malformed request answered, not
// fatal to the server.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { serve } from './scripts/serve.mjs';
import { CONTENT_SECURITY_POLICY } from './src/shared/static-files.mjs';

let server: Server;
let port: number;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hgrad-serve-'));
  mkdirSync(join(dir, 'dist-web'));
  writeFileSync(join(dir, 'dist-web', 'index.html'), '<!doctype html><title>studio</title>');
  mkdirSync(join(dir, 'dist-web-private'));
  writeFileSync(join(dir, 'dist-web-private', 'x'), 'private');
  server = (await serve(join(dir, 'dist-web'))) as Server;
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** A raw GET: the path is sent exactly as written (no client-side normalisation). */
function get(path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web build server', () => {
  it('serves the page with the security headers', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>studio</title>');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('refuses a sibling folder reached through an encoded ../', async () => {
    const r = await get('/..%2fdist-web-private/x');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('private');
  });

  it('answers a malformed percent-escape with 400 and keeps serving', async () => {
    const r = await get('/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('/index.html')).status).toBe(200);
  });
});
