// A run checkpointed anywhere (between epochs or in the middle of one) and restored into a fresh
// run of the same graph continues with exactly the losses the uninterrupted run has.
import { readFileSync } from 'node:fs';
import * as hg from '@hgrad/engine';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import { describe, expect, it } from 'vitest';
import { prepareRun } from './index.ts';

function graph(): CheckedGraph {
  const r = loadGraph(
    readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error('example');
  return r.graph;
}

async function steps(run: Awaited<ReturnType<typeof prepareRun>>['run'], n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) out.push((await run.nextStep()).loss);
  return out;
}

describe('training-run checkpoints', () => {
  it.each([
    ['between epochs', 15],
    ['in the middle of an epoch', 22],
  ])('restored %s, training continues with the uninterrupted losses', async (_where, at) => {
    const straight = (await prepareRun(graph(), { overrides: { epochs: 4 } })).run;
    const all = await steps(straight, at + 20);

    const first = (await prepareRun(graph(), { overrides: { epochs: 4 } })).run;
    await steps(first, at);
    const files = await first.checkpoint();
    const resumed = (await prepareRun(graph(), { overrides: { epochs: 4 } })).run;
    // Different weights and a different data order before restoring: the checkpoint sets both.
    hg.noGrad(() => resumed.model.parameters().forEach((p) => p.mul_(0.5)));
    await steps(resumed, 3);
    resumed.restore(files);
    expect([resumed.step, resumed.epoch]).toEqual([at, Math.floor((at - 1) / 15)]);
    expect(await steps(resumed, 20)).toEqual(all.slice(at));
  });
});
