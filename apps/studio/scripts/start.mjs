// npm start: builds and opens the desktop app, or explains how to get Electron and offers
// the web version when Electron is missing.
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { ELECTRON_MISSING, findElectron } from './electron.mjs';

const electron = findElectron();
if (!electron) {
  console.error(ELECTRON_MISSING);
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = (await rl.question('\nStart the web version now? [Y/n] ')).trim().toLowerCase();
    rl.close();
    if (answer === '' || answer === 'y' || answer === 'yes') {
      const r = spawnSync('node', ['scripts/web.mjs'], { stdio: 'inherit' });
      process.exit(r.status ?? 1);
    }
  }
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 0);
