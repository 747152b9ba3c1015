// npm start: builds and opens the desktop app. Where Electron's binary is missing, it says why
// and starts the same studio as a web app instead (served on 127.0.0.1 and opened in the default
// browser, or its address printed), so the README's first command works everywhere.
import { spawnSync } from 'node:child_process';
import { ELECTRON_MISSING, findElectron } from './electron.mjs';

const electron = findElectron();
if (!electron) {
  console.error(ELECTRON_MISSING);
  console.error('\nStarting the web version of the studio instead (the same app, in your browser)…\n');
  const r = spawnSync(process.execPath, ['scripts/web.mjs'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 0);
