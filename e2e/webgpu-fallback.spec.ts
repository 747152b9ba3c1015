// In a Chromium without WebGPU (no --enable-unsafe-webgpu on Linux), choosing the WebGPU device
// says why it cannot be had and trains on the CPU.
import { expect, test } from '@playwright/test';
import { cpuLosses, stepLosses } from './losses.ts';
import { openStudio } from './studio.ts';

test('without WebGPU the studio says so and trains on the CPU', async ({ page }) => {
  await openStudio(page);
  await page.getByTestId('setting-device').selectOption('webgpu');
  await expect(page.getByTestId('toast-info').last()).toContainText('WebGPU is not available', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('toast-info').last()).toContainText('training on the CPU instead');
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready in a Web Worker (cpu)');
  const losses = await stepLosses(page, 3);
  const cpu = await cpuLosses(3);
  losses.forEach((l, i) => expect(l).toBeCloseTo(cpu[i]!, 4));
});
