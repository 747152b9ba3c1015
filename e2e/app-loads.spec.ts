// A person opens the studio: the example model is on the canvas and the engine worker is up.
import { expect, test } from '@playwright/test';

test('the studio opens on the example model with the engine running in a worker', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('document-title')).toHaveText('MLP on blobs');
  for (const id of ['data', 'fc1', 'act1', 'fc2', 'loss'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  await expect(page.getByTestId('node-fc1')).toContainText('Linear');
  await expect(page.getByTestId('engine-status')).toHaveText(
    'Engine ready in a Web Worker (cpu) · 99 parameters · 480 training samples',
  );
  await page.screenshot({ path: testInfo.outputPath('studio.png') });
  await page.screenshot({ path: 'test-results/screenshots/studio.png' });
  expect(errors).toEqual([]);
});
