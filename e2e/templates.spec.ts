// The templates gallery: the Fashion-MNIST CNN and the character RNN open, their data loads in
// the worker, the dataset preview shows images with class names or decoded text, and a training
// step runs.
import { expect, test } from '@playwright/test';
import { menu, openStudio } from './studio.ts';

test('templates open with a dataset preview and train a step', async ({ page }, testInfo) => {
  await openStudio(page);
  await menu(page, 'File', 'Templates…');
  await page.getByTestId('template-cnn-fashion').click();
  await expect(page.getByTestId('node-conv1')).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  const preview = page.getByTestId('dataset-preview');
  await expect(preview.locator('canvas')).toHaveCount(12, { timeout: 30_000 });
  await expect(preview).toContainText(
    /T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot/,
  );
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1', { timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('cnn-template.png') });
  await page.screenshot({ path: 'test-results/screenshots/cnn-template.png' });

  await menu(page, 'File', 'Templates…');
  await page.getByTestId('template-char-rnn').click();
  await expect(page.getByTestId('node-rnn')).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  await expect(page.getByTestId('dataset-preview').locator('li')).toHaveCount(6, { timeout: 30_000 });
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1', { timeout: 30_000 });
});
