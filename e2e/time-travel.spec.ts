// Time travel: the scrubber under the loss chart moves the studio to an earlier snapshot of the
// run — the inspector then shows the weights the run had at that step, equal to the weights
// exported then — and "Back to live" returns to the live run.
import { expect, test, type Page } from '@playwright/test';
import { download, openStudio, selectNode } from './studio.ts';

/** Each tensor of a safetensors file, by name, as numbers (float32 files). */
function safetensors(bytes: Buffer): Map<string, number[]> {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const out = new Map<string, number[]>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [from, to] = (info as { data_offsets: [number, number] }).data_offsets;
    const data = bytes.subarray(8 + headerLength + from, 8 + headerLength + to);
    out.set(
      name,
      Array.from(new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length))),
    );
  }
  return out;
}

async function steps(page: Page, n: number): Promise<void> {
  const before = Number(await page.getByTestId('metric-step').textContent());
  for (let i = 0; i < n; i++) {
    await page.getByTestId('btn-step').click();
    await expect(page.getByTestId('metric-step')).toHaveText(String(before + i + 1));
  }
}

const shown = async (page: Page, testId: string) =>
  (
    await page
      .getByTestId(testId)
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')))
  ).map(Number);

test('the scrubber shows the weights the run had at an earlier step, then back to live', async ({ page }) => {
  await openStudio(page);
  await steps(page, 8);
  const then = safetensors(await download(page, 'File', 'Export weights (safetensors)'));
  await steps(page, 6);

  await selectNode(page, 'fc2');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('param-fc2.bias-values').locator('td')).toHaveCount(3);
  const live = await shown(page, 'param-fc2.bias-values');
  expect(live).not.toEqual(then.get('fc2.bias'));
  await expect(page.getByTestId('time-travel-label')).toHaveText('live · step 14');

  // Each node's face shows its activation on the batch's first sample (fc1: 16 units).
  const strip = async () =>
    ((await page.getByTestId('activation-strip-fc1').getAttribute('data-values')) ?? '')
      .split(' ')
      .map(Number);
  await expect.poll(async () => (await strip()).length).toBe(16);
  const liveStrip = await strip();

  // Every step so far is kept (fewer than the bound): step 8 is the ninth snapshot.
  const scrubber = page.getByTestId('time-scrubber');
  await expect(scrubber).toHaveAttribute('max', '15');
  await scrubber.fill('8');
  await expect(page.getByTestId('time-travel-label')).toHaveText('step 8 · epoch 0 (snapshot)');
  await expect(page.getByTestId('canvas-travel')).toContainText('step 8');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-marker', '8');
  await expect.poll(() => shown(page, 'param-fc2.bias-values')).toEqual(then.get('fc2.bias'));
  expect(await shown(page, 'param-fc2.weight-values')).toEqual(then.get('fc2.weight'));
  // The node visuals move with it: fc1's strip is that of the model at step 8.
  await expect.poll(strip).not.toEqual(liveStrip);
  // The live counters are untouched: time travel only looks.
  await expect(page.getByTestId('metric-step')).toHaveText('14');
  await page.screenshot({ path: test.info().outputPath('time-travel.png') });

  await page.getByTestId('btn-live').click();
  await expect(page.getByTestId('canvas-travel')).toHaveCount(0);
  await expect(page.getByTestId('time-travel-label')).toHaveText('live · step 14');
  await expect.poll(() => shown(page, 'param-fc2.bias-values')).toEqual(live);

  // Training from a snapshot view returns to live first, and continues from step 14.
  await scrubber.fill('3');
  await expect(page.getByTestId('canvas-travel')).toContainText('step 3');
  await steps(page, 1);
  await expect(page.getByTestId('canvas-travel')).toHaveCount(0);
  await expect(page.getByTestId('time-travel-label')).toHaveText('live · step 15');
});
