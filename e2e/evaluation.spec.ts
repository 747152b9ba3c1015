// The Evaluation tab: what the trained model predicts, on a split that is always named. Blobs has a
// validation split only (the test split says why it is missing); Fashion-MNIST is evaluated on its
// own t10k test images. The confusion matrix agrees with the accuracy, a click on a cell shows its
// samples, and misclassified images come with their top-3 probabilities.
import { expect, test } from '@playwright/test';
import { confusionMatrix, openStudio, openTemplate, setSetting, trainEpochs } from './studio.ts';

test('validation results of a 2-D classifier, and a test split that says it does not exist', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  // Enough epochs that training is still running when the helper pauses it.
  await setSetting(page, 'setting-epochs', '100000');
  await trainEpochs(page, 2);
  await page.getByTestId('tab-evaluation').click();
  const summary = page.getByTestId('evaluation-summary');
  await expect(summary).toContainText('Validation split · 120 samples · loss');
  const counts = await confusionMatrix(page);
  expect(counts.length).toBe(3);
  const total = counts.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(120);
  const correct = counts.reduce((a, r, i) => a + r[i]!, 0);
  await expect(summary).toContainText(`accuracy ${((correct / total) * 100).toFixed(1)}%`);
  await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(3);
  // A diagonal cell lists correctly classified samples of that class (2 features each).
  await page.getByTestId('cell-0-0').click();
  await expect(page.getByTestId('gallery-title')).toContainText(
    `True 0, predicted 0: ${counts[0]![0]} samples`,
  );
  await expect(page.getByTestId('evaluation-sample').first()).toContainText('predicted 0');
  await page.getByTestId('evaluation-normalise').check();
  await expect(page.getByTestId('cell-0-0')).toHaveText(
    String(Math.round((counts[0]![0]! / counts[0]!.reduce((a, b) => a + b, 0)) * 100)),
  );
  await page.screenshot({ path: test.info().outputPath('evaluation-blobs.png') });
  await page.getByTestId('split-test').click();
  await expect(page.getByTestId('evaluation-reason')).toHaveText(
    "Test split: dataset 'blobs' has no test split of its own (Fashion-MNIST has one: its t10k images)",
  );
});

test('Fashion-MNIST is evaluated on its own test images, with misclassified garments and their top-3', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-fashion');
  await trainEpochs(page, 1);
  await page.getByTestId('tab-evaluation').click();
  await expect(page.getByTestId('evaluation-summary')).toContainText('Validation split');
  await page.getByTestId('split-test').click();
  const summary = page.getByTestId('evaluation-summary');
  await expect(summary).toContainText('Test split · 1,000 samples · loss');
  await expect(summary).toContainText('never trained or validated on');
  const counts = await confusionMatrix(page);
  expect(counts.length).toBe(10);
  expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(1000);
  await expect(page.getByTestId('per-class')).toContainText('Ankle boot');
  // The gallery starts with misclassified samples: a thumbnail, the true and predicted names, 3 guesses.
  const first = page.getByTestId('evaluation-sample').first();
  await expect(first.locator('canvas')).toHaveCount(1);
  await expect(first.locator('li')).toHaveCount(3);
  const [truth, predicted] = await first.locator('b').allTextContents();
  expect(truth).not.toBe(predicted);
  // The largest off-diagonal cell: its samples only.
  let worst: [number, number] = [0, 1];
  counts.forEach((row, i) =>
    row.forEach((v, j) => i !== j && v > counts[worst[0]]![worst[1]]! && (worst = [i, j])),
  );
  await page.getByTestId(`cell-${worst[0]}-${worst[1]}`).click();
  await expect(page.getByTestId('gallery-title')).toContainText(`${counts[worst[0]]![worst[1]]} sample`);
  await expect(page.getByTestId('evaluation-sample')).toHaveCount(Math.min(60, counts[worst[0]]![worst[1]]!));
  await page.screenshot({ path: test.info().outputPath('evaluation-fashion.png') });
});
