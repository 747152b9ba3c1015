// Security settings for every window, in one place (Electron's security checklist): isolated,
// sandboxed, no Node in the page, DevTools only in development; navigation only to the app's own
// page; new windows never, and only the project's help pages open in the browser; no permission
// the app does not use. Plain data and functions, tested without Electron.
export { SECURITY_HEADERS } from '../shared/static-files.mjs';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  webviewTag: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  devTools: boolean;
}

export function secureWebPreferences(
  preloadPath: string,
  { devTools = false }: { devTools?: boolean } = {},
): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    devTools,
  };
}

/**
 * Only the app's own page may load in a window: the exact page (its hash and query may change),
 * or in development the dev server's origin.
 */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'http:' || app.protocol === 'https:') return target.origin === app.origin;
    return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname;
  } catch {
    return false;
  }
}

/** The only addresses the app opens in the user's browser: the project's own help pages. */
export const HELP_URL_PREFIXES = [
  'https://github.com/homemade-grad/homemade-grad#',
  'https://github.com/homemade-grad/homemade-grad/blob/main/',
] as const;

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // Compared after parsing, so 'https://github.com/homemade-grad/homemade-grad@evil.example' is not a match.
    return parsed.protocol === 'https:' && HELP_URL_PREFIXES.some((p) => parsed.href.startsWith(p));
  } catch {
    return false;
  }
}

/**
 * Whether to grant a permission a page asks for. The studio uses none (no camera, microphone,
 * location, notifications, MIDI, clipboard reading, …): every request is denied.
 */
export function permissionGranted(_permission: string): boolean {
  return false;
}
