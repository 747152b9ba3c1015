// Trained work is never lost silently: settings apply to the trained weights, an edit keeps
// every parameter that still fits and says what it initialised, undo brings back the weights of
// that version, edits during training reach the running model, and Train continues.
import { expect, test, type Page } from '@playwright/test';
import { referenceLosses } from './reference.ts';
import { menu, openStudio, setParam, setSetting, trainEpochs } from './studio.ts';

const loss = async (page: Page) => Number(await page.getByTestId('metric-loss').textContent());

async function stepOnce(page: Page): Promise<number> {
  const before = Number(await page.getByTestId('metric-step').textContent());
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText(String(before + 1), { timeout: 15_000 });
  return loss(page);
}

test('settings and edits keep the trained weights; undo brings back the weights of that version', async ({
  page,
}) => {
  await openStudio(page);
  // The first step's loss is the untrained one (about ln 3 for three classes).
  const untrained = await stepOnce(page);
  expect(untrained).toBeGreaterThan(0.6);
  // Enough epochs that training is still running when the helper pauses it (a run that reaches
  // its last epoch first has no Pause to click).
  await setSetting(page, 'setting-epochs', '100000');
  await trainEpochs(page, 3);
  const trained = await loss(page);
  expect(trained).toBeLessThan(0.3);

  // A learning-rate change applies to the trained weights: the next step continues from them.
  await setSetting(page, 'setting-lr', '0.005');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  expect(await stepOnce(page)).toBeLessThan(0.3);
  // So does a batch-size change.
  await setSetting(page, 'setting-batch', '16');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
  expect(await stepOnce(page)).toBeLessThan(0.3);

  // A structural edit keeps what still fits and names what it initialised.
  await setParam(page, 'fc1', 'outFeatures', '24');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Kept fc2.bias; initialised fc1.weight ([16,2] → [24,2]), fc1.bias ([16] → [24]), fc2.weight ([3,16] → [3,24])',
  );
  await expect(page.getByTestId('engine-status')).toContainText('147 parameters');

  // Undo returns to the trained version, with its weights.
  await menu(page, 'Edit', 'Undo');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Restored the trained weights this version of the graph had',
  );
  await expect(page.getByTestId('engine-status')).toContainText('99 parameters');
  expect(await stepOnce(page)).toBeLessThan(0.3);

  // Reset is the one way to start over.
  await page.getByTestId('btn-reset').click();
  await expect(page.getByTestId('metric-step')).toHaveText('0');
  expect(await stepOnce(page)).toBeGreaterThan(0.6);
});

test('edits during training reach the running model; Train continues after the last epoch', async ({
  page,
}) => {
  await openStudio(page);
  // Far more epochs than the test takes, so that training is still running at each edit (60 once
  // sufficed; a faster engine finished them before the structural edit below).
  await setSetting(page, 'setting-epochs', '100000');
  await page.getByTestId('btn-train').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()))
    .toBeGreaterThanOrEqual(1);

  // A learning-rate change while training: training goes on, from the next step.
  await setSetting(page, 'setting-lr', '0.002');
  await expect(page.getByTestId('btn-pause')).toBeVisible();
  const epochBefore = Number(await page.getByTestId('metric-epoch').textContent());
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(epochBefore);
  expect(await loss(page)).toBeLessThan(0.5);

  // A structural edit while training pauses it and says what changed; the status bar and the
  // canvas agree on the parameter count at once.
  await setParam(page, 'fc1', 'outFeatures', '8');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Training paused: the edit changed fc1.weight',
  );
  await expect(page.getByTestId('btn-train')).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('51 parameters');

  // After the last epoch, Train adds ten more and continues from the current weights.
  await setSetting(page, 'setting-epochs', '2');
  await expect(page.getByTestId('btn-train')).toHaveText(/Train 10 more epochs/);
  const epochNow = Number(await page.getByTestId('metric-epoch').textContent());
  await page.getByTestId('btn-train').click();
  await expect(page.getByTestId('setting-epochs')).toHaveValue(String(epochNow + 10));
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(epochNow);
});

test('a reload brings back the trained weights, optimizer state and charts', async ({ page }) => {
  await openStudio(page);
  for (let i = 0; i < 20; i++) await stepOnce(page);
  await expect(page.locator('.chart').first()).toBeVisible();
  // The autosave writes after single steps; give it a moment, then reload.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Restored the trained weights, optimizer state and charts saved with this graph (epoch 1, step 20)',
    { timeout: 20_000 },
  );
  await expect(page.getByTestId('metric-step')).toHaveText('20');
  // The next step's loss is the one an uninterrupted run has at step 21 (Adam's moments came back too).
  const after = await stepOnce(page);
  const want = (await referenceLosses(21)).at(-1)!;
  expect(after).toBeCloseTo(want, 4);
});

test('Save writes the trained state next to the graph, and opening it continues where the user was', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  for (let i = 0; i < 20; i++) await stepOnce(page);
  // In a browser, Save is two downloads: the document, then its trained state.
  const downloads: string[] = [];
  page.on(
    'download',
    (d) =>
      void d
        .saveAs(testInfo.outputPath(d.suggestedFilename()))
        .then(() => downloads.push(d.suggestedFilename())),
  );
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Saved the trained state next to the graph: mlp-blobs.safetensors',
  );
  await expect.poll(() => downloads.sort()).toEqual(['mlp-blobs.hgrad.json', 'mlp-blobs.safetensors']);

  await menu(page, 'File', 'New graph');
  await expect(page.getByTestId('node-fc1')).toHaveCount(0);
  const choosing = page.waitForEvent('filechooser');
  await menu(page, 'File', 'Open…');
  await (await choosing).setFiles(testInfo.outputPath('mlp-blobs.safetensors'));
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Opened mlp-blobs.safetensors: the graph and its trained state (epoch 1, step 20)',
  );
  await expect(page.getByTestId('metric-step')).toHaveText('20');
  const after = await stepOnce(page);
  expect(after).toBeCloseTo((await referenceLosses(21)).at(-1)!, 4);
});

test('a classifier head of the wrong width is a problem with a one-click fix', async ({ page }) => {
  await openStudio(page);
  await setParam(page, 'fc2', 'outFeatures', '4');
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problems')).toContainText(
    'the dataset has 3 classes but fc2 gives 4 scores per sample; set outFeatures to 3',
  );
  await expect(page.getByTestId('btn-train')).toHaveAttribute('title', /The graph has a problem/);
  // A menu command that cannot run says why, in its tooltip and when chosen anyway.
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('button', { name: 'File', exact: true })
    .click();
  const item = page.getByRole('menuitem', { name: 'Export model (ONNX)' });
  await expect(item).toHaveAttribute('title', /The graph has a problem: the dataset has 3 classes/);
  await item.click({ force: true });
  await expect(page.getByTestId('toast-error').last()).toContainText(
    'Export model (ONNX): The graph has a problem: the dataset has 3 classes',
  );
  await page.getByTestId('fix-fc2').click();
  await expect(page.getByTestId('problems-empty')).toBeVisible();
  await expect(page.getByTestId('node-fc2')).toContainText('16 → 3');
});
