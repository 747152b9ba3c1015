// Grouping: select layers, group them into a reusable subgraph (Ctrl+G), see what is inside,
// train the grouped model, then ungroup and undo.
import { expect, test } from '@playwright/test';
import { openStudio } from './studio.ts';

test('group layers into a subgraph, train it, ungroup and undo', async ({ page }, testInfo) => {
  await openStudio(page);
  await page.getByTestId('node-fc1').locator('.layer-node__kind').click();
  await page.keyboard.down('Control');
  await page.getByTestId('node-act1').locator('.layer-node__kind').click();
  await page.keyboard.up('Control');
  await page.keyboard.press('Control+g');
  await expect(page.getByTestId('node-group1')).toBeVisible();
  await expect(page.getByTestId('node-fc1')).toHaveCount(0);
  await expect(page.getByTestId('node-group1')).toContainText('[N,16]');
  const contents = page.getByTestId('group-contents');
  await expect(contents).toContainText('Linear fc1');
  await expect(contents).toContainText('ReLU act1');
  await expect(page.getByTestId('engine-status')).toContainText('99 parameters', { timeout: 10_000 });
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  await page.screenshot({ path: testInfo.outputPath('grouped.png') });
  await page.getByTestId('ungroup').click();
  await expect(page.getByTestId('node-fc1')).toBeVisible();
  await expect(page.getByTestId('node-group1')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-group1')).toBeVisible();
});
