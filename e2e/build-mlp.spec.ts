// A person builds an MLP from scratch: drags Linear, ReLU, Linear and a loss from the palette,
// connects the ports, sets the output width, trains and watches the loss fall.
import { expect, test } from '@playwright/test';
import { connect, dragFromPalette, menu, openStudio, setParam } from './studio.ts';

test('drag, connect and train an MLP on blobs to at least 95% accuracy', async ({ page }, testInfo) => {
  const errors = await openStudio(page);
  await menu(page, 'File', 'New graph');
  await expect(page.getByTestId('node-data')).toBeVisible();
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const at = (fx: number, fy: number) => [pane.x + pane.width * fx, pane.y + pane.height * fy] as const;
  await dragFromPalette(page, 'Linear', ...at(0.35, 0.1));
  await dragFromPalette(page, 'ReLU', ...at(0.65, 0.1));
  await dragFromPalette(page, 'Linear', ...at(0.1, 0.55));
  await dragFromPalette(page, 'CrossEntropyLoss', ...at(0.45, 0.55));
  for (const id of ['linear1', 'relu1', 'linear2', 'crossentropyloss1'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();

  await connect(page, ['data', 'x'], ['linear1', 'input']);
  await connect(page, ['linear1', 'output'], ['relu1', 'input']);
  await connect(page, ['relu1', 'output'], ['linear2', 'input']);
  await connect(page, ['linear2', 'output'], ['crossentropyloss1', 'input']);
  await connect(page, ['data', 'y'], ['crossentropyloss1', 'target']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  // Connecting filled in the input sizes: linear1 takes 2 features, linear2 takes 16.
  await expect(page.getByTestId('node-linear1')).toContainText('2 → 16');
  await expect(page.getByTestId('node-linear2')).toContainText('16 → 16');
  await setParam(page, 'linear2', 'outFeatures', '3');
  await expect(page.getByTestId('node-linear2')).toContainText('16 → 3');
  await expect(page.getByTestId('problem-count')).toHaveText('0 problems');
  await expect(page.getByTestId('engine-status')).toContainText('99 parameters');
  await menu(page, 'View', 'Auto layout');

  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('1');
  const firstLoss = Number(await page.getByTestId('metric-loss').textContent());
  await page.getByTestId('btn-train').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('20', { timeout: 60_000 });
  expect(Number(await page.getByTestId('metric-loss').textContent())).toBeLessThan(firstLoss);
  expect(parseFloat((await page.getByTestId('metric-accuracy').textContent()) ?? '0')).toBeGreaterThanOrEqual(
    95,
  );
  await page.screenshot({ path: testInfo.outputPath('built-mlp.png') });
  await page.screenshot({ path: 'test-results/screenshots/built-mlp.png' });
  expect(errors).toEqual([]);
});
