// A person trains the example model: the loss falls, epochs are reported, accuracy climbs, the
// decision boundary and gradient charts appear, and nodes are coloured by gradient magnitude.
import { expect, test } from '@playwright/test';
import { openStudio } from './studio.ts';

test('training the blobs example in the browser worker reaches at least 95% accuracy', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  const firstLoss = Number(await page.getByTestId('metric-loss').textContent());
  await page.getByTestId('btn-train').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('20', { timeout: 60_000 });
  const accuracy = parseFloat((await page.getByTestId('metric-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThanOrEqual(95);
  // 480 training samples in batches of 32: 15 steps per epoch (the first step was taken by hand).
  expect(Number(await page.getByTestId('metric-step').textContent())).toBe(20 * 15);
  const lastLoss = Number(await page.getByTestId('metric-loss').textContent());
  await expect(page.getByTestId('toast-info').last()).toContainText('Training finished after 20 epochs');
  expect(lastLoss).toBeLessThan(firstLoss / 5);
  await expect(page.getByTestId('decision-boundary')).toBeVisible();
  await expect(page.getByTestId('grad-norm-chart').locator('canvas')).toBeVisible();
  // Nodes with gradients are coloured by their magnitude.
  await expect(page.getByTestId('node-fc1')).toHaveAttribute('style', /border-color: rgb/);
  await page.getByTestId('node-fc1').locator('.layer-node__kind').click();
  await expect(page.getByTestId('inspector')).toContainText('∇ fc1.weight');
  await page.screenshot({ path: testInfo.outputPath('trained.png') });
  await page.screenshot({ path: 'test-results/screenshots/trained.png' });
});
