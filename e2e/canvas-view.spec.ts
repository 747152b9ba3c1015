// The canvas stays readable: fitting a wide graph never zooms below readable text (it starts at
// the data and scrolls), Fit graph in view does the same, and the minimap can be hidden.
import { expect, test } from '@playwright/test';
import { menu, openStudio } from './studio.ts';

const zoom = async (page: import('@playwright/test').Page) => {
  const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  return Number(/scale\(([\d.]+)\)/.exec(style)?.[1]);
};

test('a wide graph opens at a readable zoom, starting at its data; the minimap can be hidden', async ({
  page,
}) => {
  await openStudio(page);
  await menu(page, 'File', 'Templates…');
  await page.getByTestId('template-cnn-fashion').click();
  await expect(page.getByTestId('node-conv1')).toBeVisible();
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(0.8);
  // The data node is in view at the left, and its text is at least 9 px tall.
  await expect(page.getByTestId('node-data')).toBeInViewport();
  const titleHeight = await page
    .getByTestId('node-data')
    .locator('.layer-node__kind')
    .evaluate((el) => el.getBoundingClientRect().height);
  expect(titleHeight).toBeGreaterThanOrEqual(9);
  // Each layer's face shows its parameter count at a glance (conv1: 8·1·3·3 + 8 = 80).
  await expect(page.getByTestId('node-conv1').getByTestId('node-params')).toHaveText(' · 80 params');
  await expect(page.getByTestId('node-fc').getByTestId('node-params')).toHaveText(/params$/);
  await page.screenshot({ path: test.info().outputPath('cnn-readable.png') });

  // Zoomed out by hand, Fit graph in view comes back to the readable zoom.
  await page.getByRole('button', { name: 'zoom out' }).click();
  await page.getByRole('button', { name: 'zoom out' }).click();
  await expect.poll(() => zoom(page)).toBeLessThan(0.8);
  await menu(page, 'View', 'Fit graph in view');
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(0.8);

  await expect(page.locator('.react-flow__minimap')).toBeVisible();
  await menu(page, 'View', 'Show or hide the minimap');
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
});
