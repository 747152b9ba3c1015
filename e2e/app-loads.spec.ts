// A person opens the studio: the example model is on the canvas, with shapes on its edges, and
// the engine worker is up.
import { expect, test } from '@playwright/test';
import { openStudio } from './studio.ts';

test('the studio opens on the example model with the engine running in a worker', async ({
  page,
}, testInfo) => {
  const errors = await openStudio(page);
  await expect(page.getByTestId('document-title')).toHaveText('mlp-blobs.hgrad.json');
  for (const id of ['data', 'fc1', 'act1', 'fc2', 'loss'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  await expect(page.getByTestId('node-fc1')).toContainText('Linear');
  await expect(page.getByTestId('node-fc1')).toContainText('[N,16]');
  await expect(page.locator('.react-flow__edge-text', { hasText: '[N,3]' })).toHaveCount(1);
  await expect(page.getByTestId('engine-status')).toContainText(
    'Engine ready in a Web Worker (cpu) · 99 parameters · 480 training samples',
  );
  await expect(page.getByTestId('total-params')).toHaveText('99');
  await page.screenshot({ path: testInfo.outputPath('studio.png') });
  await page.screenshot({ path: 'test-results/screenshots/studio.png' });
  expect(errors).toEqual([]);
});
