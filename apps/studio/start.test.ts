// The README's first command: where Electron's binary is missing, `npm start` says why and
// serves the web studio instead (it does not fail).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findElectron } from './scripts/electron.mjs';

describe('npm start without Electron', () => {
  it.runIf(!findElectron())(
    'starts the web studio and says where',
    async () => {
      const child = spawn(process.execPath, ['scripts/start.mjs'], {
        cwd: import.meta.dirname,
        env: { ...process.env, HGRAD_NO_OPEN: '1', PORT: '0' },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d));
      child.stderr.on('data', (d: Buffer) => (output += d));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no address after 90 s:\n${output}`)), 90_000);
          child.stdout.on('data', () => {
            const m = /running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
            if (!m) return;
            clearTimeout(timer);
            resolve(m[1]!);
          });
          child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
        });
        expect(output).toContain('Electron is not installed on this machine');
        expect(output).toContain('Starting the web version of the studio instead');
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="root">');
      } finally {
        child.kill();
      }
    },
    120_000,
  );
});
