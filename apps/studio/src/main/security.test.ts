// Electron's security checklist, item by item, as tests of the plain modules main is built from
// (the README's security table names each test). Electron itself is not needed.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, appProtocolResponse, rendererUrl } from './app-protocol.ts';
import { CloseAfterSave, RecentFiles } from './files.ts';
import { senderRefusal } from './ipc-guard.ts';
import { menuTemplate } from './menu.ts';
import { PathGrants, trainedSibling } from './path-grants.ts';
import {
  isAllowedExternalUrl,
  isAllowedNavigation,
  permissionGranted,
  secureWebPreferences,
  SECURITY_HEADERS,
} from './window-options.ts';
import { CONTENT_SECURITY_POLICY, resolveStaticPath } from '../shared/static-files.mjs';

const root = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hgrad-sec-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>studio</title>');
  mkdirSync(join(dir, 'renderer-private'));
  writeFileSync(join(dir, 'renderer-private', 'secret.txt'), 'secret');
  writeFileSync(join(dir, 'outside.txt'), 'outside');
  return dir;
};

describe('file access: main reads and writes only paths it handed out', () => {
  it('Open recent reads only the recent list or files opened through the app', () => {
    const grants = new PathGrants();
    expect(grants.readRefusal('/etc/passwd', ['/home/u/a.hgrad.json'])).toMatch(
      /'\/etc\/passwd' was not opened through the app/,
    );
    expect(grants.readRefusal('/home/u/a.hgrad.json', ['/home/u/a.hgrad.json'])).toBeNull();
    grants.opened('/home/u/b.hgrad.json');
    expect(grants.readRefusal('/home/u/x/../b.hgrad.json', [])).toBeNull();
  });

  it('Save writes back only to a file opened or chosen in the save dialog, and its trained state beside it', () => {
    const grants = new PathGrants();
    expect(grants.writeRefusal('/home/u/.bashrc')).toMatch(/was not opened or saved through the app/);
    grants.saved('/home/u/model.hgrad.json');
    expect(grants.writeRefusal('/home/u/model.hgrad.json')).toBeNull();
    expect(trainedSibling('/home/u/model.hgrad.json')).toBe('/home/u/model.safetensors');
    expect(grants.writeRefusal('/home/u/model.safetensors')).toBeNull();
    expect(grants.writeRefusal('/home/u/other.safetensors')).not.toBeNull();
    expect(grants.writeRefusal('/home/u/model.hgrad.json/../../u/.bashrc')).not.toBeNull();
  });
});

describe('IPC callers', () => {
  it('only the app page in its top frame may call main', () => {
    expect(senderRefusal({ url: APP_URL, parent: null }, APP_URL)).toBeNull();
    expect(senderRefusal({ url: `${APP_URL}#node=fc1`, parent: null }, APP_URL)).toBeNull();
    expect(senderRefusal({ url: APP_URL, parent: {} }, APP_URL)).toMatch(/top-level page/);
    expect(senderRefusal({ url: 'app://studio/other.html', parent: null }, APP_URL)).toMatch(/not the app's/);
    expect(senderRefusal({ url: 'app://evil/index.html', parent: null }, APP_URL)).toMatch(/not the app's/);
    expect(senderRefusal({ url: 'https://evil.example/', parent: null }, APP_URL)).toMatch(/not the app's/);
    expect(senderRefusal({ url: 'file:///index.html', parent: null }, APP_URL)).toMatch(/not the app's/);
    expect(senderRefusal(null, APP_URL)).toMatch(/no longer exists/);
  });
});

describe('windows', () => {
  it('are isolated and sandboxed, with no Node, no webview and DevTools only in development', () => {
    expect(secureWebPreferences('/p.cjs')).toEqual({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p.cjs', { devTools: true }).devTools).toBe(true);
    const view = (devTools: boolean) =>
      menuTemplate('linux', [], { devTools })
        .find((m) => m.label === 'View')!
        .submenu!.map((i) => i.label);
    expect(view(false)).not.toContain('Toggle developer tools');
    expect(view(true)).toContain('Toggle developer tools');
  });

  it('navigate only to the app page', () => {
    expect(isAllowedNavigation(`${APP_URL}#x`, APP_URL)).toBe(true);
    expect(isAllowedNavigation('app://studio/evil.html', APP_URL)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', APP_URL)).toBe(false);
    expect(isAllowedNavigation('https://evil.example/', APP_URL)).toBe(false);
    expect(isAllowedNavigation('not a url', APP_URL)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
  });

  it('open only the project help pages in the browser', () => {
    expect(isAllowedExternalUrl('https://github.com/homemade-grad/homemade-grad#security')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/homemade-grad/homemade-grad/blob/main/README.md')).toBe(
      true,
    );
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com/homemade-grad/homemade-grad@evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('http://github.com/homemade-grad/homemade-grad#x')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
  });

  it('grant no permission', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'clipboard-read',
      'openExternal',
      'hid',
    ])
      expect(permissionGranted(p), p).toBe(false);
  });

  it('load from a dev server only in development', () => {
    expect(rendererUrl(true, { ELECTRON_RENDERER_URL: 'http://evil.example/' })).toBe(APP_URL);
    expect(rendererUrl(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' })).toBe(
      'http://localhost:5173/',
    );
    expect(rendererUrl(false, {})).toBe(APP_URL);
  });
});

describe('the app:// protocol', () => {
  it('serves the page with the web build’s headers (CSP with wasm-unsafe-eval, COOP/COEP)', async () => {
    const dir = root();
    const response = await appProtocolResponse(join(dir, 'renderer'), new Request(APP_URL));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>studio</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses paths outside the app folder, malformed escapes and other hosts, with headers', async () => {
    const dir = root();
    const get = (url: string) => appProtocolResponse(join(dir, 'renderer'), new Request(url));
    for (const url of [
      'app://studio/..%2f..%2foutside.txt',
      'app://studio/..%2frenderer-private/secret.txt',
      'app://studio/%2e%2e/outside.txt',
    ]) {
      const r = await get(url);
      expect([403, 404], url).toContain(r.status);
      expect(await r.text()).not.toMatch(/secret|outside$/);
    }
    const malformed = await get('app://studio/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://studio/missing.js')).status).toBe(404);
    expect(
      (await appProtocolResponse(join(dir, 'renderer'), new Request(APP_URL, { method: 'POST' }))).status,
    ).toBe(405);
  });

  it('compares resolved paths with a separator (a sibling folder that starts alike is outside)', () => {
    const dir = root();
    const base = join(dir, 'renderer');
    expect(resolveStaticPath(base, '/..%2frenderer-private/secret.txt')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveStaticPath(base, '/a/../index.html')).toEqual({
      ok: true,
      path: resolve(base, 'index.html'),
    });
    expect(resolveStaticPath(base, '/%00')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('the page', () => {
  it('CSP allows WebAssembly compilation but no JavaScript eval', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/[^-]unsafe-eval/);
  });

  it('has a meta CSP equal to the served one', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('saving and the recent list', () => {
  it('a cancelled save forgets save-then-close, so a later save does not close the window', () => {
    const close = new CloseAfterSave();
    close.requested();
    close.abandoned(); // the save dialog was cancelled
    expect(close.shouldClose(false)).toBe(false);
    close.requested();
    expect(close.shouldClose(true)).toBe(false); // still unsaved
    expect(close.shouldClose(false)).toBe(true);
    expect(close.shouldClose(false)).toBe(false);
  });

  it('overlapping opens lose no recent entry and leave valid JSON; an unreadable list is kept, not silently reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-recent-'));
    const store = join(dir, 'recent.json');
    const recent = new RecentFiles(store);
    await recent.load();
    const paths = Array.from({ length: 8 }, (_, i) => `/g/${i}.hgrad.json`);
    await Promise.all(paths.map((p) => recent.add(p)));
    const saved = JSON.parse(readFileSync(store, 'utf8')) as string[];
    expect(new Set(saved)).toEqual(new Set(paths));
    writeFileSync(store, '["/g/a.hgrad.json", tor');
    const again = new RecentFiles(store);
    expect(await again.load()).toEqual([]);
    expect(again.problem).toMatch(/could not be read .* kept as .*recent\.json\.unreadable/);
    expect(readFileSync(`${store}.unreadable`, 'utf8')).toBe('["/g/a.hgrad.json", tor');
  });
});
