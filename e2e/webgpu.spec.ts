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

test('a lost GPU device is said, the engine restarts and training goes on from the last snapshot', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('setting-device').selectOption('webgpu');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready in a Web Worker (webgpu)', {
    timeout: 30_000,
  });
  const epochs = page.getByTestId('setting-epochs');
  await epochs.fill('200');
  await epochs.blur();
  await page.getByTestId('btn-train').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  // The device the engine trains on is destroyed (as a driver reset or a removed GPU would lose
  // it): the next command encoder it asks for names the device, which is then destroyed.
  const engine = page.workers().find((w) => w.url().includes('engine.worker'));
  await engine!.evaluate(() => {
    const proto = GPUDevice.prototype;
    const original = proto.createCommandEncoder;
    proto.createCommandEncoder = function (
      this: GPUDevice,
      ...args: Parameters<GPUDevice['createCommandEncoder']>
    ) {
      proto.createCommandEncoder = original;
      setTimeout(() => this.destroy());
      return original.apply(this, args);
    };
  });
  await expect(page.getByTestId('toast-error').last()).toContainText('the WebGPU device was lost', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Engine restarted; the last weights snapshot was restored',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
  // Trained weights, not fresh ones: one step's loss is a trained one (blobs start near ln 3).
  await page.getByTestId('btn-step').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()), { timeout: 15_000 })
    .toBeLessThan(0.5);
  await expect.poll(() => page.workers().filter((w) => w.url().includes('engine.worker')).length).toBe(1);
});
