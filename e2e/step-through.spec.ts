// Step-through backprop: forward through every node, then backward through every node; the
// gradient the studio shows for a Linear weight equals a plain backward through the engine API.
import { expect, test } from '@playwright/test';
import { openStudio } from './studio.ts';
import { referenceRun } from './reference.ts';

test('step forward through all nodes, then backward; the Linear weight gradient equals backward()', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const position = page.getByTestId('debugger').getByTestId('debug-position');
  await expect(position).toHaveText('0/9 · ready');
  const stepButton = page.getByTestId('debugger').getByRole('button', { name: 'Step ▶' });
  const seen: string[] = [];
  for (let i = 1; i <= 9; i++) {
    await stepButton.click();
    await expect(position).toHaveText(new RegExp(`^${i}/9 · `));
    seen.push((await position.textContent())!.replace(/^\d+\/9 · /, ''));
    // The active node is highlighted on the canvas.
    const nodeId = seen.at(-1)!.split(' · ')[1]!;
    await expect(page.getByTestId(`node-${nodeId}`)).toHaveClass(/layer-node--active/);
    if (i === 7) await page.screenshot({ path: 'test-results/screenshots/step-through.png' });
  }
  expect(seen).toEqual([
    'forward · data',
    'forward · fc1',
    'forward · act1',
    'forward · fc2',
    'forward · loss',
    'backward · loss',
    'backward · fc2',
    'backward · act1',
    'backward · fc1',
  ]);
  const frame = page.getByTestId('debug-frame');
  await expect(frame).toContainText('Linear: dx = g · W, dW = gᵀ · x, db = Σ g over the batch');
  const cells = frame.getByTestId('debug-gradParam-fc1.weight-values').locator('td');
  await expect(cells).toHaveCount(32);
  const shown = (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')))).map(
    Number,
  );

  const { model, batch } = await referenceRun();
  model.forward(batch).loss!.backward();
  const fc1 = [...model.namedParameters()].find(([name]) => name === 'fc1.weight')![1];
  expect(shown).toEqual(Array.from(fc1.grad!.dataSync()));
  await page.screenshot({ path: testInfo.outputPath('step-through.png') });

  // Stepping back shows the state already computed.
  await page.getByTestId('debugger').getByRole('button', { name: '◀ Back' }).click();
  await expect(position).toHaveText('8/9 · backward · act1');
});
