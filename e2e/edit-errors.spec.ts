// Mistakes are explained in place: an invalid connection is refused with its reason, and a
// shape error puts a badge on the node at fault and a line in the problems list.
import { expect, test } from '@playwright/test';
import { connect, dragFromPalette, openStudio, selectNode, setParam } from './studio.ts';

test('an invalid connection is refused with a visible reason', async ({ page }, testInfo) => {
  await openStudio(page);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await dragFromPalette(page, 'Embedding', pane.x + pane.width * 0.45, pane.y + pane.height * 0.15);
  await expect(page.getByTestId('node-embedding1')).toBeVisible();
  // Embedding looks up integer token ids; fc1 gives floats.
  await connect(page, ['fc1', 'output'], ['embedding1', 'input']);
  await expect(page.getByTestId('connection-refused')).toHaveText(
    'Cannot connect: Embedding.input expects integer (class or token) values, but fc1.output gives floats',
  );
  // An input takes one connection.
  await connect(page, ['data', 'x'], ['fc2', 'input']);
  await expect(page.getByTestId('connection-refused')).toHaveText(
    "Cannot connect: input 'input' of fc2 is already fed by act1; delete that connection first",
  );
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  await page.screenshot({ path: testInfo.outputPath('refused.png') });
});

test('a shape error shows a badge on the node and a line in the problems list', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  await setParam(page, 'fc2', 'inFeatures', '5');
  await expect(page.getByTestId('badge-fc2')).toHaveText('⚠ 1');
  await expect(page.getByTestId('badge-fc2')).toHaveAttribute(
    'title',
    'node fc2 (Linear): Linear expects 5 input features in the last dim, got [N,16]; set inFeatures to 16',
  );
  await expect(page.getByTestId('badge-fc1')).toHaveCount(0);
  await expect(page.getByTestId('problem-count')).toHaveText('1 problem');
  await expect(page.getByTestId('engine-status')).toContainText('The graph has 1 problem');
  // Asking to train says why it cannot, and shows the problems.
  await page.getByTestId('btn-train').click();
  await expect(page.getByTestId('toast-error')).toContainText(
    'Cannot train yet: node fc2 (Linear): Linear expects 5 input features',
  );
  await expect(page.getByTestId('problems')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('shape-error.png') });
  await page.screenshot({ path: 'test-results/screenshots/shape-error.png' });
  await selectNode(page, 'fc1');
  await page.getByTestId('problems').getByRole('button').first().click();
  await expect(page.getByTestId('inspector').getByRole('heading', { level: 2 })).toContainText('fc2');
  // An out-of-range value is refused in the inspector with the reason.
  await page.locator('#param-fc2-outFeatures').fill('0');
  await page.locator('#param-fc2-outFeatures').press('Enter');
  await expect(page.getByTestId('param-error-outFeatures')).toHaveText(
    'Too small: expected number to be >=1',
  );
});
