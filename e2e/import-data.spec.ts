// Your own table in: File → Import data… reads a CSV in the worker, previews it, takes the chosen
// columns (with a line that is not a number named, and dropped only when asked), and the graph
// trains on it — sizes follow the feature count, its split column gives validation and test rows,
// and the saved document finds its data again after a reload (or asks to locate the file).
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const CSV = fileURLToPath(new URL('./fixtures/flowers.csv', import.meta.url));

async function importFile(page: Page): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Import data (CSV/TSV)…');
  await (await chooser).setFiles(CSV);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
}

test('a CSV becomes the graph’s data: preview, columns, a bad line named, training and its test split', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await importFile(page);
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toContainText('Import data: flowers.csv');
  await expect(dialog).toContainText('151 rows · 6 columns');
  await expect(page.getByTestId('import-preview').locator('thead th')).toHaveCount(6);
  // The last column is the default target; choose species, and the part column as the split.
  await page.getByTestId('import-target').selectOption('species');
  await expect(page.getByTestId('import-classes')).toContainText('setosa, versicolor, virginica');
  await page.getByTestId('import-split-column').check();
  await page.getByTestId('import-split-name').selectOption('part');
  await page.getByTestId('import-split-val').selectOption('val');
  await page.getByTestId('import-split-test').selectOption('test');
  await page.screenshot({ path: test.info().outputPath('import-dialog.png') });
  await page.getByTestId('import-use').click();
  // Line 41 holds 'n/a': named by line and column, and nothing is used until the person decides.
  await expect(page.getByTestId('import-problems')).toContainText(
    "line 41, column 'sepal_width': 'n/a' is not a number",
  );
  await page.getByTestId('import-drop').check();
  await page.getByTestId('import-use').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.toasts')).toContainText(
    'Using flowers.csv: 150 rows, 4 features → species (3 classes), 1 unusable rows dropped',
  );
  // The Dataset node says what it reads; the first Linear layer now takes 4 features.
  await expect(
    page.locator('.react-flow__node').filter({ hasText: 'flowers.csv: 4 → species' }),
  ).toBeVisible();
  // Undo puts the previous dataset back, in one step; redo brings the table again.
  await menu(page, 'Edit', 'Undo');
  await expect(page.locator('.react-flow__node').filter({ hasText: 'flowers.csv' })).toHaveCount(0);
  await menu(page, 'Edit', 'Redo');
  await expect(
    page.locator('.react-flow__node').filter({ hasText: 'flowers.csv: 4 → species' }),
  ).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  await expect(page.getByTestId('engine-status')).toContainText('120 training samples');
  // Enough epochs that training is still running when the helper pauses it.
  await page.getByTestId('tab-training').click();
  await setSetting(page, 'setting-epochs', '100000');
  await trainEpochs(page, 2);
  await page.getByTestId('tab-evaluation').click();
  await expect(page.getByTestId('evaluation-summary')).toContainText('Validation split · 15 samples');
  await page.getByTestId('split-test').click();
  await expect(page.getByTestId('evaluation-summary')).toContainText('Test split · 15 samples');
  await expect(page.getByTestId('per-class')).toContainText('versicolor');
  // The same weights through the CLI, with the CSV next to them, give the same test matrix.
  const shown = await confusionMatrix(page);
  const dir = mkdtempSync(join(tmpdir(), 'hgrad-e2e-table-'));
  writeFileSync(
    join(dir, 'weights.safetensors'),
    await download(page, 'File', 'Export weights (safetensors)'),
  );
  copyFileSync(CSV, join(dir, 'flowers.csv'));
  const cli = hgrad('evaluate', join(dir, 'weights.safetensors'), '--split', 'test', '--format', 'json');
  expect(cli.err).toBe('');
  expect((JSON.parse(cli.out) as { confusion: number[][] }).confusion).toEqual(shown);
});

test('a reloaded document finds its table in the browser, or names the file to locate', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await importFile(page);
  await page.getByTestId('import-target').selectOption('species');
  await page.getByTestId('import-use').click();
  await page.getByTestId('import-drop').check();
  await page.getByTestId('import-use').click();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  // After a reload the autosaved document trains on the stored copy.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  await expect(
    page.locator('.react-flow__node').filter({ hasText: 'flowers.csv: 4 → species' }),
  ).toBeVisible();
  // Without the stored copy, the status names the file and what to do; importing it again finds it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const open = indexedDB.open('hgrad', 2);
        open.onsuccess = () => {
          const tx = open.result.transaction('data', 'readwrite');
          tx.objectStore('data').clear();
          tx.oncomplete = () => (open.result.close(), resolve());
        };
      }),
  );
  await page.reload();
  await expect(page.getByTestId('engine-status')).toContainText('The data file flowers.csv (', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('engine-status')).toContainText(
    'locate it with File → Import data… to train',
  );
  const chooser = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Import data (CSV/TSV)…');
  await (await chooser).setFiles(CSV);
  await expect(page.locator('.toasts')).toContainText('Found flowers.csv again: the graph trains on it');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  // The Training tab names the table as the dataset; a built-in one replaces it, and undo brings it back.
  await page.getByTestId('tab-training').click();
  const dataset = page.getByTestId('setting-dataset');
  await expect(dataset).toHaveValue('table');
  await expect(dataset.locator('option:checked')).toHaveText('flowers.csv (your table)');
  await dataset.selectOption('blobs');
  await expect(page.locator('.react-flow__node').filter({ hasText: 'flowers.csv' })).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toContainText('480 training samples', { timeout: 30_000 });
  await menu(page, 'Edit', 'Undo');
  await expect(dataset).toHaveValue('table');
  await expect(
    page.locator('.react-flow__node').filter({ hasText: 'flowers.csv: 4 → species' }),
  ).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('120 training samples', { timeout: 30_000 });
});
