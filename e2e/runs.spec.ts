// Runs are kept and comparable: each training run is recorded in the document with its settings,
// graph and results; a change of settings during a run is noted; Reset weights starts a new run;
// an earlier run can be drawn over the charts and its settings restored; the runs survive a reload.
import { expect, test } from '@playwright/test';
import { openStudio, setSetting, trainEpochs } from './studio.ts';

test('each run is recorded, compared, overlaid and its settings restored', async ({ page }) => {
  await openStudio(page);
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await page.getByTestId('tab-training').click();
  const lr1 = await page.getByTestId('setting-lr').inputValue();
  // Enough epochs that no run finishes (a finished run's Train adds 10 more, a settings change).
  await setSetting(page, 'setting-epochs', '100000');

  await trainEpochs(page, 2);
  const accuracy1 = await page.getByTestId('metric-accuracy').textContent();
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-run-1')).toContainText('paused');
  await page.getByTestId('tab-training').click();
  // A settings change during the run is noted with the step it applied from.
  await setSetting(page, 'setting-lr', '0.0005');
  await page.getByTestId('tab-runs').click();
  const run1 = page.getByTestId('run-run-1');
  await expect(run1).toContainText('current');
  await expect(page.getByTestId('run-val-acc-run-1')).toHaveText(accuracy1!);
  await expect(run1.locator('.runs__changes')).toHaveAttribute('title', new RegExp(`lr ${lr1} → 0.0005`));

  // Reset weights ends the run; training again starts Run 2 with the new settings.
  await page.getByTestId('tab-training').click();
  await page.getByTestId('btn-reset').click();
  await expect(page.getByTestId('metric-step')).toHaveText('0');
  await trainEpochs(page, 1);
  await page.getByTestId('tab-runs').click();
  await expect(run1).toContainText('ended (Reset weights)');
  const run2 = page.getByTestId('run-run-2');
  await expect(run2).toContainText('current');
  await expect(run2).toContainText('lr 0.0005');
  await expect(page.getByTestId('tabs-count-runs').or(page.getByTestId('tab-runs'))).toContainText('2');

  // Run 1 drawn over the charts: its curve is in the loss and accuracy charts' keys.
  await page.getByTestId('run-overlay-run-1').check();
  await expect(page.getByTestId('run-overlay-run-2')).toBeDisabled();
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('loss-chart')).toContainText('Run 1');
  await expect(page.getByTestId('accuracy-chart')).toContainText('Run 1 val.');
  // The overlaid curve is drawn: the chart has the live series and Run 1's, on one x axis.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-series', '2');
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-series', '3');
  await page.screenshot({ path: test.info().outputPath('overlay.png') });

  // Restoring Run 1's settings is one undoable step.
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-restore-run-1').click();
  await expect(page.getByTestId('toast-info').last()).toContainText(
    `Restored the settings of Run 1 (lr 0.0005 → ${lr1})`,
  );
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('setting-lr')).toHaveValue(lr1);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.0005');

  // The runs are part of the document: a reload brings them back.
  const epochs2 = await page.getByTestId('metric-epoch').textContent();
  await page.waitForTimeout(500);
  await page.reload();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 20_000 });
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-run-1')).toContainText('ended (Reset weights)');
  await expect(page.getByTestId('run-run-2')).toContainText('current');
  await expect(page.getByTestId('run-run-2')).toContainText('stopped');
  await expect(page.getByTestId('run-epochs-run-2')).toHaveText(epochs2!);
  await page.screenshot({ path: test.info().outputPath('runs.png') });
});
