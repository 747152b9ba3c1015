// Step-through tells the truth about gradients: at the loss's backward step only the logits edge
// carries a gradient (never the integer labels), and a node no gradient reaches says why.
import { expect, test } from '@playwright/test';
import { openStudio, openTemplate } from './studio.ts';

test('no gradient flows into the labels, and Flatten on the data says why it gets none', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-fashion');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const position = page.getByTestId('debugger').getByTestId('debug-position');
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  const jump = async (label: string) => {
    await plan.filter({ hasText: label }).first().click();
    await expect(position).toContainText(label.replace('← ', 'backward · '));
  };
  await jump('← loss');
  // The inspector follows the active node.
  await expect(page.getByTestId('inspector').getByRole('heading', { level: 2 })).toContainText('loss');
  // Into the loss come the logits (float, gradient flows back) and the labels (int32, none).
  await expect(page.locator('.react-flow__edge.animated')).toHaveCount(1);
  await jump('← flat');
  await expect(page.getByTestId('debug-no-gradient')).toContainText(
    'nothing before it has parameters, so its input comes straight from the data and does not require a gradient',
  );
});

test('← and → step back and forward through backprop (not moving the selected node)', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const position = page.getByTestId('debugger').getByTestId('debug-position');
  await expect(position).toContainText(/^0\/\d+ · ready$/);
  const node = page.locator('.react-flow__node').filter({ hasText: 'fc1' }).first();
  const before = await node.getAttribute('style');
  await node.click();
  await page.keyboard.press('ArrowRight');
  await expect(position).toContainText(/^1\/\d+ · forward · /);
  await page.keyboard.press('ArrowRight');
  await expect(position).toContainText(/^2\/\d+ · forward · /);
  await page.keyboard.press('ArrowLeft');
  await expect(position).toContainText(/^1\/\d+ · forward · /);
  expect(await node.getAttribute('style')).toBe(before);
});

test('the node being stepped shows a card on the canvas with the panel’s numbers', async ({ page }) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  // Forward through fc1: the card sits under fc1 and shows what came in and what goes out.
  await plan.filter({ hasText: '→ fc1' }).first().click();
  const card = page.getByTestId('node-fc1').getByTestId('step-card');
  await expect(card).toContainText('forward · step');
  await expect(card.locator('li[data-role="input"]')).toHaveCount(1);
  await expect(card.locator('li[data-role="output"]')).toHaveCount(1);
  // Backward through fc2: the gradient of its bias [3] is written out, equal to the panel's table.
  await plan.filter({ hasText: '← fc2' }).first().click();
  const back = page.getByTestId('node-fc2').getByTestId('step-card');
  await expect(back).toContainText('backward · step');
  const cells = await page.getByTestId('debug-gradParam-fc2.bias-values').locator('td').allTextContents();
  expect(cells.length).toBe(3);
  await expect(back).toContainText(`∂L/∂bias [3] [${cells.join(', ')}]`);
  await expect(page.getByTestId('node-fc1').getByTestId('step-card')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('step-card.png') });
});

test('a Linear layer’s backward rule is shown with this step’s numbers, and they multiply out', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  await plan.filter({ hasText: '← fc2' }).first().click();
  await expect(page.getByTestId('linear-rule')).toContainText('∂L/∂x = ∂L/∂y · W');
  const read = async (id: string) =>
    page
      .getByTestId(id)
      .locator('tr')
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => Number(td.dataset.value))),
      );
  const [dx, dy, w] = [await read('rule-dx'), await read('rule-dy'), await read('rule-w')];
  await page.getByTestId('linear-rule').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('linear-rule.png') });
  // [N, in] = [N, out] · [out, in], entry by entry.
  expect(dy[0]!.length).toBe(w.length);
  dx.forEach((row, n) =>
    row.forEach((v, i) =>
      expect(v).toBeCloseTo(
        dy[n]!.reduce((s, g, o) => s + g * w[o]![i]!, 0),
        5,
      ),
    ),
  );
});

test('ReLU’s and cross-entropy’s backward rules are shown with this step’s numbers, matching the engine', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'mlp-blobs');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  const row = async (id: string) =>
    page
      .getByTestId(id)
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));

  // Cross-entropy: the gradient of the first sample's logits is (softmax(z) − onehot(y)) / N,
  // computed here from the forward values, and equal to what the engine sent back.
  await plan.filter({ hasText: '← loss' }).first().click();
  await expect(page.getByTestId('pointwise-rule')).toContainText('softmax(z) − onehot(target)');
  await expect(page.getByTestId('rule-local').locator('td')).toHaveCount(3);
  const [ceLocal, ceEngine] = [await row('rule-local'), await row('rule-dx')];
  ceLocal.forEach((v, i) => expect(v).toBeCloseTo(ceEngine[i]!, 6));
  expect(ceEngine.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);

  // ReLU: ∂L/∂x = ∂L/∂y ⊙ [x > 0], entry by entry.
  await plan.filter({ hasText: '← act1' }).first().click();
  await expect(page.getByTestId('pointwise-rule')).toContainText('∂L/∂x = ∂L/∂y ⊙ [x > 0]');
  await expect(page.getByTestId('rule-local').locator('td')).toHaveCount(10);
  const [dy, local, dx] = [await row('rule-dy'), await row('rule-local'), await row('rule-dx')];
  expect(local.every((v) => v === 0 || v === 1)).toBe(true);
  expect(local).toContain(0);
  expect(local).toContain(1);
  dx.forEach((v, i) => expect(v).toBeCloseTo(dy[i]! * local[i]!, 7));
  await page.getByTestId('pointwise-rule').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('relu-rule.png') });

  // Where the numbers cannot be shown (fc1 sends no gradient to the data), the rule comes with
  // the shapes of what the node receives and sends.
  await plan.filter({ hasText: '← fc1' }).first().click();
  await expect(page.getByTestId('rule-shapes')).toContainText('∂L/∂x = ∂L/∂y · W');
  await expect(page.getByTestId('rule-shapes')).toContainText('receives ∂L/∂output [8×16]');
  await expect(page.getByTestId('rule-shapes')).toContainText('∂L/∂fc1.weight [16×2], ∂L/∂fc1.bias [16]');
});

test('stepping through the CNN shows the card on each node in turn, with the panel’s numbers', async ({
  page,
}) => {
  await openStudio(page);
  await openTemplate(page, 'cnn-fashion');
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  const plan = page.getByTestId('debugger').locator('.debugger__plan button');
  // The plan appears once the engine has loaded the CNN and run its forward pass.
  await expect(plan.filter({ hasText: '← conv1' })).toHaveCount(1, { timeout: 30_000 });
  const steps = (await plan.allTextContents()).map((t) => {
    const [, arrow, nodeId] = /^(→|←) (\S+)/.exec(t.trim())!;
    return { phase: arrow === '→' ? 'forward' : 'backward', nodeId: nodeId! };
  });
  expect(steps.filter((s) => s.phase === 'backward').map((s) => s.nodeId)).toContain('conv1');
  for (const [i, s] of steps.entries()) {
    await plan.nth(i).click();
    const card = page.getByTestId(`node-${s.nodeId}`).getByTestId('step-card');
    await expect(card).toContainText(`${s.phase} · step ${i + 1}`);
    await expect(page.getByTestId('step-card')).toHaveCount(1);
    if (s.phase === 'backward' && s.nodeId === 'conv1') {
      // conv1's bias gradient [8] is written out on the card, as in the panel's table.
      const cells = await page
        .getByTestId('debug-gradParam-conv1.bias-values')
        .locator('td')
        .allTextContents();
      expect(cells.length).toBe(8);
      await expect(card).toContainText(`∂L/∂bias [8] [${cells.join(', ')}]`);
      await page.screenshot({ path: test.info().outputPath('cnn-step-card.png') });
    }
  }
});
