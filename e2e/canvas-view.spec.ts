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

/** For every edge, the sampled points of its drawn path that lie inside a node it does not join. */
async function edgesUnderNodes(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll<HTMLElement>('[data-testid^="node-"].layer-node')].map(
      (el) => ({
        id: el.dataset.testid!.slice('node-'.length),
        rect: el.getBoundingClientRect(),
      }),
    );
    const found: string[] = [];
    for (const edge of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      const [, from, to] = /Edge from (\S+) to (\S+)/.exec(edge.getAttribute('aria-label') ?? '') ?? [];
      const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!;
      const m = path.getScreenCTM()!;
      const length = path.getTotalLength();
      for (let d = 0; d <= length; d += 4) {
        const p = path.getPointAtLength(d).matrixTransform(m);
        const under = nodes.find(
          (n) =>
            n.id !== from &&
            n.id !== to &&
            p.x > n.rect.left + 2 &&
            p.x < n.rect.right - 2 &&
            p.y > n.rect.top + 2 &&
            p.y < n.rect.bottom - 2,
        );
        if (under) {
          found.push(`${from} → ${to} passes under ${under.id}`);
          break;
        }
      }
    }
    return found;
  });
}

for (const template of ['mlp-blobs', 'mlp-fashion', 'cnn-fashion', 'char-rnn']) {
  test(`${template}: no edge passes under a node, left to right or top to bottom`, async ({ page }) => {
    await openStudio(page);
    await menu(page, 'File', 'Templates…');
    await page.getByTestId(`template-${template}`).click();
    await expect(page.locator('.react-flow__edge').first()).toBeVisible();
    // Zoomed out, so that every node and edge is drawn and measured.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'zoom out' }).click();
    await expect.poll(() => edgesUnderNodes(page)).toEqual([]);

    await menu(page, 'View', 'Arrange top to bottom');
    await expect(page.locator('.react-flow__handle-top').first()).toBeAttached();
    await expect(page.locator('.react-flow__handle-left')).toHaveCount(0);
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'zoom out' }).click();
    await expect.poll(() => edgesUnderNodes(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath(`${template}-tb.png`) });

    // The direction is part of the document: undo returns to left to right.
    await menu(page, 'Edit', 'Undo');
    await expect(page.locator('.react-flow__handle-left').first()).toBeAttached();
    await expect(page.locator('.react-flow__handle-top')).toHaveCount(0);
  });
}
