// Finds the Electron binary if npm could install it. Electron is an optional dependency: where
// its binary cannot be downloaded (offline or locked-down machines) npm skips it.
import { createRequire } from 'node:module';

export function findElectron() {
  try {
    const require = createRequire(import.meta.url);
    const path = require('electron');
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

export const ELECTRON_MISSING = `Electron is not installed on this machine (its binary could not be downloaded during npm install).
  To get it:      npm run electron:install   (needs access to Electron's download server)
  Or use the browser version of the studio instead:
                  npm run web`;
