// Shared by the WebGPU specs: the losses the studio shows while stepping, and the CPU's.
import { expect, type Page } from '@playwright/test';
import * as hg from '../engine/src/index.ts';
import { analyze } from '../packages/ir/src/index.ts';
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
  const doc = exampleDocument();
  hg.manualSeed(doc.training!.seed);
  const model = hg.compileGraph(doc, analyze(doc));
  const data = await hg.loadGraphDataset(doc.training!.dataset, doc.training!.seed);
  const run = new hg.TrainingRun(model, doc, data);
  const out: number[] = [];
  while (out.length < n) out.push(run.nextStep()!);
  return out;
}
