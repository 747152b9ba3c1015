// An image folder in: File → Import image folder… lists the class subfolders, decodes the images
// in the worker (with a progress bar), previews each class and names a file it cannot read; the
// graph then trains on them, and Try it classifies a new picture by the folder's class names.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripesPng, writeStripes } from './fixtures/make-assets.ts';
import {
  confusionMatrix,
  download,
  hgrad,
  menu,
  openStudio,
  openTemplate,
  setSetting,
  trainEpochs,
} from './studio.ts';

test('a folder of class subfolders becomes the data, trains, and classifies a new picture', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'hgrad-e2e-images-'));
  const root = join(dir, 'stripes');
  writeStripes(root);
  writeFileSync(join(dir, 'new-vertical.png'), stripesPng(true, 30));

  await openStudio(page);
  await openTemplate(page, 'mlp-fashion');
  const chooser = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Import image folder…');
  await (await chooser).setFiles(root);
  const dialog = page.getByTestId('images-dialog');
  await expect(dialog).toContainText('Import image folder: stripes');
  await expect(page.getByTestId('images-classes')).toHaveText('horizontal (15) · vertical (16)');
  await page.getByTestId('images-read').click();
  await expect(page.getByTestId('images-preview').locator('canvas')).toHaveCount(16);
  await expect(page.getByTestId('images-skipped')).toContainText('vertical/broken.png');
  await page.screenshot({ path: test.info().outputPath('import-images.png') });
  await page.getByTestId('images-use').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.toasts')).toContainText(
    'Using stripes: 30 images in 2 classes, 28×28 grayscale, 1 unreadable files skipped',
  );
  await expect(
    page.locator('.react-flow__node').filter({ hasText: 'stripes: 2 classes, 28×28' }),
  ).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  await expect(page.getByTestId('engine-status')).toContainText('27 training samples');
  // The Training tab names the folder as the dataset (not the first built-in one).
  await expect(page.getByTestId('setting-dataset').locator('option:checked')).toHaveText(
    'stripes (your images)',
  );
  await setSetting(page, 'setting-epochs', '100000');
  await trainEpochs(page, 5);
  await page.getByTestId('tab-evaluation').click();
  await expect(page.getByTestId('evaluation-summary')).toContainText('Validation split · 3 samples');
  await expect(page.getByTestId('per-class')).toContainText('vertical');
  // The CLI decodes the same folder (pngjs rather than the browser) into the same samples: with
  // the exported weights it reports the same validation matrix.
  const shown = await confusionMatrix(page);
  writeFileSync(
    join(dir, 'weights.safetensors'),
    await download(page, 'File', 'Export weights (safetensors)'),
  );
  const cli = hgrad('evaluate', join(dir, 'weights.safetensors'), '--format', 'json');
  expect(cli.err).toBe('');
  expect((JSON.parse(cli.out) as { confusion: number[][] }).confusion).toEqual(shown);
  await page.getByTestId('tab-tryit').click();
  await page.getByTestId('tryit-image').setInputFiles(join(dir, 'new-vertical.png'));
  await expect(page.getByTestId('tryit-probabilities').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('tryit-best')).toHaveText('vertical');
});
