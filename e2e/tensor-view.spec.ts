// Tensors people can read: a large gradient is a heatmap with its colour scale and the value
// under the pointer; a small one is a table of numbers.
import { expect, test } from '@playwright/test';
import { openStudio, openTemplate, selectNode } from './studio.ts';

test('a heatmap shows its colour scale and the value under the pointer', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-fashion');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  await plan.filter({ hasText: '← fc1' }).first().click();
  const heatmap = page.getByTestId('debug-gradParam-fc1.weight-heatmap');
  await expect(heatmap).toBeVisible();
  await expect(page.getByTestId('debug-gradParam-fc1.weight').locator('.heatmap__scale')).toBeVisible();
  await heatmap.hover({ position: { x: 1, y: 1 } });
  await expect(page.getByTestId('debug-gradParam-fc1.weight-hover')).toHaveText(
    /^cell \(0, 0\) mean = -?[\d.e+-]+$/,
  );
  // A click pins that value; zoomed, the same cell is twice as large.
  const hovered = await page.getByTestId('debug-gradParam-fc1.weight-hover').textContent();
  await heatmap.click({ position: { x: 1, y: 1 } });
  await expect(page.getByTestId('debug-gradParam-fc1.weight-pinned')).toHaveText(`📌 ${hovered}`);
  const width = Number(await heatmap.getAttribute('width'));
  await page.getByTestId('debug-gradParam-fc1.weight-zoom').click();
  expect(Number(await heatmap.getAttribute('width'))).toBe(2 * width);
  await heatmap.click({ position: { x: 1, y: 1 } });
  await expect(page.getByTestId('debug-gradParam-fc1.weight-pinned')).toHaveCount(0);
  // fc2's bias gradient [10] is a row of numbers.
  await plan.filter({ hasText: '← fc2' }).first().click();
  await expect(page.getByTestId('debug-gradParam-fc2.bias-values').locator('td')).toHaveCount(10);
  await page.screenshot({ path: test.info().outputPath('tensor-view.png') });
});

test('conv weights and their gradients show as filters', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'cnn-fashion');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  await plan.filter({ hasText: '← conv1' }).first().click();
  // conv1's weight gradient [8, 1, 3, 3]: eight 3×3 filters.
  const filters = page.getByTestId('debug-gradParam-conv1.weight-filters');
  await expect(filters.locator('canvas')).toHaveCount(8);
  await expect(filters.locator('canvas').first()).toHaveAttribute(
    'title',
    /^filter 0: (-?[\d.e+-]+ ){8}-?[\d.e+-]+$/,
  );
  await page.screenshot({ path: test.info().outputPath('filters.png') });
});

test('a conv layer’s activation shows each channel of the first sample as an image', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'cnn-fashion');
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  await selectNode(page, 'conv1');
  // conv1 gives [N, 8, 28, 28]: eight 28×28 maps for sample 0.
  const maps = page.getByTestId('activation-conv1-output-maps');
  await expect(maps.locator('canvas')).toHaveCount(8);
  await expect(maps).toContainText('sample 0, channels 0–7');
  await expect(maps.locator('canvas').first()).toHaveAttribute('width', String(28));
  await maps.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('feature-maps.png') });
});

test('a sequence activation shows its first sample as time × feature', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'char-rnn');
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  await selectNode(page, 'rnn');
  const view = page.getByTestId('activation-rnn-output-sequence');
  await expect(view).toContainText('sample 0 · time × feature');
  const heatmap = page.getByTestId('activation-rnn-output-sequence-heatmap');
  await heatmap.hover({ position: { x: 1, y: 1 } });
  // Each cell is one value (time step 0, feature 0), not a block mean.
  await expect(page.getByTestId('activation-rnn-output-sequence-hover')).toHaveText(
    /^\[0, 0\] = -?[\d.e+-]+$/,
  );
});
