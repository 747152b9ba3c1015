// Security settings for every window, in one place (Electron's security checklist): isolated,
// sandboxed, no Node in the page; navigation and new windows are denied by the main process.
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
}

export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  };
}

/** Only the app's own pages may load in a window. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  try {
    const target = new URL(url);
    if (appOrigin === 'file://') return target.protocol === 'file:';
    return target.origin === appOrigin;
  } catch {
    return false;
  }
}

/** Headers for the app's pages: a strict CSP and cross-origin isolation (for WASM threads). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
