// Every edit is one undo step: undoing them all gives back the graph byte for byte, redoing
// them gives the edited graph; saving and opening the file gives the same graph.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { connect, dragFromPalette, exportedDocument, menu, openStudio, setParam } from './studio.ts';

test('undo and redo restore the graph exactly; save then open gives the same graph', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  const original = await exportedDocument(page);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await dragFromPalette(page, 'Dropout', pane.x + pane.width * 0.5, pane.y + pane.height * 0.15); // 1
  await setParam(page, 'fc2', 'outFeatures', '4'); // 2
  await setParam(page, 'dropout1', 'p', '0.25'); // 3
  await connect(page, ['fc1', 'output'], ['dropout1', 'input']); // 4
  await page.getByTestId('node-act1').locator('.layer-node__kind').click();
  await page.keyboard.press('Delete'); // 5
  await expect(page.getByTestId('node-act1')).toHaveCount(0);
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  const edited = await exportedDocument(page);
  expect(edited).not.toBe(original);

  for (let i = 0; i < 5; i++) await page.keyboard.press('Control+z');
  expect(await exportedDocument(page)).toBe(original);
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+Shift+z');
  await menu(page, 'Edit', 'Redo');
  expect(await exportedDocument(page)).toBe(edited);

  // Save (a download in the web build), open it again, and compare.
  const saving = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe('mlp-blobs.hgrad.json');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  const savedPath = testInfo.outputPath('saved.hgrad.json');
  await saved.saveAs(savedPath);
  await menu(page, 'File', 'New graph');
  await expect(page.getByTestId('node-fc1')).toHaveCount(0);
  const choosing = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Open…');
  await (await choosing).setFiles(savedPath);
  await expect(page.getByTestId('node-dropout1')).toBeVisible();
  expect(await exportedDocument(page)).toBe(edited);

  // A file that is not a graph is refused with the reason, and the open graph stays.
  const bad = testInfo.outputPath('bad.hgrad.json');
  writeFileSync(bad, '{"format": "hgrad", "version": 99}');
  const choosingBad = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Open…');
  await (await choosingBad).setFiles(bad);
  await expect(page.getByTestId('toast-error')).toContainText('bad.hgrad.json is not a valid graph');
  await expect(page.getByTestId('node-dropout1')).toBeVisible();
});

test('reloading the page mid-edit restores the unsaved graph', async ({ page }) => {
  await openStudio(page);
  await setParam(page, 'fc1', 'outFeatures', '24');
  await expect(page.getByTestId('node-fc1')).toContainText('2 → 24');
  const before = await exportedDocument(page);
  await page.reload();
  await expect(page.getByTestId('node-fc1')).toContainText('2 → 24');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();
  await expect(page.getByTestId('toast-info').first()).toContainText('Restored your unsaved changes');
  expect(await exportedDocument(page)).toBe(before);
});
