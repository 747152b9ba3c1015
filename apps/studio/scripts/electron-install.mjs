// npm run electron:install: retries the optional Electron download that npm skipped.
import { spawnSync } from 'node:child_process';
import { findElectron } from './electron.mjs';

const r = spawnSync('npm', ['install', '--include=optional', '--no-audit', '--no-fund'], {
  stdio: 'inherit',
  cwd: new URL('../../..', import.meta.url).pathname,
});
if (findElectron()) console.log('Electron is installed: run npm start.');
else {
  console.error(
    "Electron's binary could not be downloaded (no access to its download server?). Use npm run web instead.",
  );
  process.exit(r.status || 1);
}
