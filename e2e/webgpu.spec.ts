// A person switches the example's device to WebGPU and trains: in Chromium with WebGPU enabled
// (SwiftShader, a software adapter, on a machine without a GPU) the worker trains on the GPU and
// the loss curve is the CPU's. (webgpu-fallback.spec.ts: a Chromium without WebGPU.)
import { expect, test } from '@playwright/test';
import config from './playwright.config.ts';
import { cpuLosses, stepLosses } from './losses.ts';
import { openStudio } from './studio.ts';

const baseArgs = config.use!.launchOptions!.args!;

test.use({
  launchOptions: { ...config.use!.launchOptions, args: [...baseArgs, '--enable-unsafe-webgpu'] },
});

test('trains the blobs MLP on WebGPU along the CPU loss curve', async ({ page }, testInfo) => {
  const errors = await openStudio(page);
  await page.getByTestId('setting-device').selectOption('webgpu');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready in a Web Worker (webgpu)', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('engine-status')).toContainText('WebGPU on');
  const gpu = await stepLosses(page, 15);
  const cpu = await cpuLosses(15);
  // The panel shows 4 decimals.
  gpu.forEach((l, i) => expect(Math.abs(l - cpu[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1.5e-4));
  await page.getByTestId('btn-train').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('20', { timeout: 90_000 });
  expect(parseFloat((await page.getByTestId('metric-accuracy').textContent()) ?? '0')).toBeGreaterThanOrEqual(
    95,
  );
  await expect(page.getByTestId('decision-boundary')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('webgpu.png') });
  await page.screenshot({ path: 'test-results/screenshots/webgpu-trained.png' });
  expect(errors).toEqual([]);
});
