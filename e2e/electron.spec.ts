// The desktop shell under Playwright's Electron driver: the window opens the studio, a model is
// built, and saving goes through the main process. Runs only where an Electron binary exists.
import { _electron as electron, expect, test } from '@playwright/test';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const mainEntry = 'apps/studio/out/main/index.js';
if (!binary)
  console.log(
    'electron.spec.ts: SKIPPED — no Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD; this machine cannot download it). The web build specs cover the renderer.',
  );

test.describe('Electron shell', () => {
  test.skip(
    !binary,
    'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD; this machine cannot download it). Run `npm run electron:install` where it can.',
  );
  test.beforeAll(() => {
    // The desktop build (main, preload, renderer) is made here when it is not there yet.
    if (!existsSync(mainEntry)) execSync('npm run -s build -w apps/studio', { stdio: 'inherit' });
  });

  test('opens the studio, builds a model and saves through the main process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-electron-'));
    const target = join(dir, 'saved.hgrad.json');
    const app = await electron.launch({
      executablePath: binary!,
      args: [mainEntry],
    });
    // Answer the native save dialog with a path in a temporary folder.
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as typeof dialog.showSaveDialog;
    }, target);
    const window = await app.firstWindow();
    await expect(window.getByTestId('node-fc1')).toBeVisible();
    const info = await window.evaluate(() =>
      (window as unknown as { hgrad: { getInfo(): Promise<{ electron: string }> } }).hgrad.getInfo(),
    );
    expect(info.electron).toMatch(/^\d+\./);
    await window.getByTestId('palette-Dropout').click();
    await expect(window.getByTestId('node-dropout1')).toBeVisible();
    await window.keyboard.press('Control+s');
    await expect.poll(() => existsSync(target)).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).nodes.map((n: { id: string }) => n.id)).toContain(
      'dropout1',
    );
    await app.close();
  });
});
