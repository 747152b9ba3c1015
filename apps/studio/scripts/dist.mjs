// npm run dist: packages the desktop app with electron-builder. Needs the Electron binary and
// electron-builder's packaging tools, which are downloaded; says so clearly where that fails.
import { spawnSync } from 'node:child_process';
import { ELECTRON_MISSING, findElectron } from './electron.mjs';

if (!findElectron()) {
  console.error(`Cannot package the desktop app: ${ELECTRON_MISSING}`);
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const pack = spawnSync(
  'npx',
  ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: '../..' },
);
if (pack.status !== 0) {
  console.error(
    'electron-builder failed. Packaging downloads tools (AppImage, NSIS, dmg) and needs network access to their servers.',
  );
  process.exit(pack.status ?? 1);
}
