// Shared by the WebGPU specs: the losses the studio shows while stepping, and the CPU's.
import { expect, type Page } from '@playwright/test';
import { loadGraph } from '../packages/ir/src/index.ts';
import { prepareRun } from '../packages/train/src/index.ts';
import { exampleDocument } from './reference.ts';

/** The loss after each of `n` clicks on Step, as the training panel shows it. */
export async function stepLosses(page: Page, n: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 1; i <= n; i++) {
    await page.getByTestId('btn-step').click();
    await expect(page.getByTestId('metric-step')).toHaveText(String(i));
    losses.push(Number(await page.getByTestId('metric-loss').textContent()));
  }
  return losses;
}

/** The example's first `n` losses computed on the CPU in this process. */
export async function cpuLosses(n: number): Promise<number[]> {
  const loaded = loadGraph(exampleDocument());
  if (!loaded.ok) throw new Error('the example does not load');
  const { run } = await prepareRun(loaded.graph);
  const out: number[] = [];
  while (out.length < n) out.push((await run.nextStep()).loss);
  return out;
}
