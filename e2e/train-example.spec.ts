// A person trains the example model: the loss falls, epochs are reported, accuracy climbs.
import { expect, test } from '@playwright/test';

test('training the blobs example in the browser worker reaches at least 95% accuracy', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('20', { timeout: 60_000 });
  const accuracy = parseFloat((await page.getByTestId('metric-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThanOrEqual(95);
  // 480 training samples in batches of 32: 15 steps per epoch (the first step was taken by hand).
  expect(Number(await page.getByTestId('metric-step').textContent())).toBe(20 * 15);
  expect(Number(await page.getByTestId('metric-loss').textContent())).toBeLessThan(0.1);
  await page.screenshot({ path: testInfo.outputPath('trained.png') });
  await page.screenshot({ path: 'test-results/screenshots/trained.png' });
});
