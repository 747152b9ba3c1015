import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, SECURITY_HEADERS, secureWebPreferences } from './window-options.ts';

describe('window security', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('allows navigation only within the app origin', () => {
    expect(isAllowedNavigation('http://127.0.0.1:5173/index.html', 'http://127.0.0.1:5173')).toBe(true);
    expect(isAllowedNavigation('https://example.com/', 'http://127.0.0.1:5173')).toBe(false);
    expect(isAllowedNavigation('file:///app/index.html', 'file://')).toBe(true);
    expect(isAllowedNavigation('https://example.com/', 'file://')).toBe(false);
    expect(isAllowedNavigation('not a url', 'file://')).toBe(false);
  });

  it('sets a CSP without unsafe-eval', () => {
    const csp = SECURITY_HEADERS['Content-Security-Policy']!;
    // WebAssembly compilation is allowed ('wasm-unsafe-eval'); JavaScript eval is not.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toMatch(/[^-]unsafe-eval/);
  });
});
