// A worker that dies mid-training: the studio says what happened, starts a new worker, and
// brings back the graph and the last weights snapshot — training continues from trained
// weights, not from the untrained ones.
import { expect, test } from '@playwright/test';
import { openStudio } from './studio.ts';

test('a crashed engine worker is replaced and the trained weights come back', async ({ page }) => {
  await openStudio(page);
  const epochs = page.getByTestId('setting-epochs');
  await epochs.fill('200');
  await epochs.blur();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  await page.getByTestId('btn-train').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  // An uncaught error inside the engine worker, as a crash mid-step would be.
  const engine = page.workers().find((w) => w.url().includes('engine.worker'));
  expect(engine, 'the engine worker').toBeTruthy();
  await engine!.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
  await expect(page.getByTestId('toast-error').last()).toContainText('simulated crash');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Engine restarted; the last weights snapshot was restored',
    { timeout: 20_000 },
  );
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  // The new worker has the trained weights: one step's loss is a trained one (blobs start near ln 3).
  await page.getByTestId('btn-step').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()), { timeout: 15_000 })
    .toBeLessThan(0.5);
  // The old worker is gone: only one engine worker runs.
  await expect.poll(() => page.workers().filter((w) => w.url().includes('engine.worker')).length).toBe(1);
});

test('an engine worker that runs out of memory is replaced, says so, and the trained weights come back', async ({
  page,
}) => {
  await openStudio(page);
  const epochs = page.getByTestId('setting-epochs');
  await epochs.fill('200');
  await epochs.blur();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  await page.getByTestId('btn-train').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  // An allocation the worker cannot have, uncaught, as a tensor too large for memory would be.
  const engine = page.workers().find((w) => w.url().includes('engine.worker'));
  await engine!.evaluate(() => {
    setTimeout(() => {
      (globalThis as { hog?: ArrayBuffer }).hog = new ArrayBuffer(2 ** 45);
    });
  });
  await expect(page.getByTestId('toast-error').last()).toContainText('The engine ran out of memory');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Engine restarted; the last weights snapshot was restored',
    { timeout: 20_000 },
  );
  await page.getByTestId('btn-step').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()), { timeout: 15_000 })
    .toBeLessThan(0.5);
  await expect.poll(() => page.workers().filter((w) => w.url().includes('engine.worker')).length).toBe(1);
});
