// Try it: the trained model on a person's own input — typed features, a garment drawn on the pad,
// and a prompt a character model continues — with the probabilities of every class.
import { expect, test, type Page } from '@playwright/test';
import { openStudio, openTemplate, setSetting, trainEpochs } from './studio.ts';

async function probabilities(page: Page): Promise<number[]> {
  const rows = await page.getByTestId('tryit-probabilities').locator('li').allTextContents();
  return rows.map((r) => Number(/([\d.]+)%$/.exec(r)![1]));
}

test('typed features give live class probabilities that follow the inputs', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await setSetting(page, 'setting-epochs', '100000');
  await trainEpochs(page, 3);
  await page.getByTestId('tab-tryit').click();
  await expect(page.getByTestId('tryit-probabilities').locator('li')).toHaveCount(3);
  const first = await probabilities(page);
  expect(first.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.5);
  // Moving the point to each blob's side changes the prediction.
  const seen = new Set<string>();
  for (const [x, y] of [
    [-8, 8],
    [8, 8],
    [0, -8],
    [3, 0],
    [-3, 3],
  ]) {
    await page.getByTestId('tryit-feature-0').fill(String(x));
    await page.getByTestId('tryit-feature-1').fill(String(y));
    await page.waitForTimeout(300);
    seen.add((await page.getByTestId('tryit-best').textContent())!);
  }
  expect(seen.size).toBeGreaterThanOrEqual(2);
});

test('a garment drawn on the pad is classified, with all ten classes', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-fashion');
  await trainEpochs(page, 1);
  await page.getByTestId('tab-tryit').click();
  const pad = page.getByTestId('tryit-pad');
  const box = (await pad.boundingBox())!;
  // Two long vertical strokes: a pair of trousers.
  for (const fx of [0.38, 0.62]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.1);
    await page.mouse.down();
    for (let t = 0.1; t <= 0.9; t += 0.05)
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * t);
    await page.mouse.up();
  }
  await expect(page.getByTestId('tryit-probabilities').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('tryit-probabilities')).toContainText('Ankle boot');
  const p = await probabilities(page);
  expect(p.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.5);
  await page.screenshot({ path: test.info().outputPath('try-it-draw.png') });
  await page.getByTestId('tryit-clear').click();
});

test('a character model continues a prompt, streaming', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'char-rnn');
  await page.getByTestId('btn-step').click();
  await page.getByTestId('tab-tryit').click();
  await page.getByTestId('tryit-prompt').fill('And God said');
  await page.getByTestId('tryit-generate').click();
  const output = page.getByTestId('tryit-output');
  await expect
    .poll(async () => ((await output.textContent()) ?? '').length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual('And God said'.length + 200);
  expect((await output.textContent())!.startsWith('And God said')).toBe(true);
});
