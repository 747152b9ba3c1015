// "Check gradient" from the inspector: every layer of the MLP and CNN templates agrees with
// central finite differences (float64) to better than 1e-4.
import { expect, test } from '@playwright/test';
import { openStudio, openTemplate, selectNode } from './studio.ts';

for (const [template, nodes] of [
  ['mlp-blobs', ['fc1', 'act1', 'fc2', 'loss']],
  ['cnn-fashion', ['conv1', 'pool1', 'conv2', 'fc', 'loss']],
] as const)
  test(`${template}: check gradient on each layer`, async ({ page }) => {
    await openStudio(page);
    await openTemplate(page, template);
    await page.getByTestId('btn-step').click();
    await expect(page.getByTestId('metric-step')).toHaveText('1');
    // Each layer with parameters shows its live gradient bar (log scale 1e-6 … 10) on its face.
    const bar = page.getByTestId(`gradbar-${nodes[0]}`);
    await expect(bar).toBeVisible();
    const norm = Number(await bar.getAttribute('data-grad'));
    expect(norm).toBeGreaterThan(0);
    const width = Math.round(Math.max(0, Math.min(1, (Math.log10(norm) + 6) / 7)) * 100);
    await expect(bar.locator('i')).toHaveAttribute('style', new RegExp(`width: ${width}%`));
    for (const id of nodes) {
      await selectNode(page, id);
      await page.getByTestId('gradcheck-run').click();
      const summary = page.getByTestId('gradcheck-summary');
      await expect(summary).toContainText('largest relative error');
      const error = Number(await summary.getAttribute('data-error'));
      expect(error, `${template} ${id}`).toBeLessThan(1e-4);
      await expect(page.getByTestId('gradcheck').locator('tbody tr').first()).toBeVisible();
    }
    await page.getByTestId('gradcheck').scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`gradcheck-${template}.png`) });
  });
