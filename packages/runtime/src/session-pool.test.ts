// The engine's CPU buffer pool during a studio session: training steps reuse their buffers, and
// when training pauses the pool is emptied (its arrays go to the garbage collector) instead of
// holding the last step's memory while nothing runs.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import { inProcessSession } from './in-process-session.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url));
const cnn = JSON.parse(read('examples/cnn-fashion.hgrad.json').toString('utf8'));
const bytes = (path: string) => new Uint8Array(read(path)).buffer;
const files = {
  fashionImages: bytes('data/fashion-mnist/train-images-idx3-ubyte.gz'),
  fashionLabels: bytes('data/fashion-mnist/train-labels-idx1-ubyte.gz'),
};

it('reuses buffers while training and hands them back when paused', async () => {
  const { ask } = inProcessSession();
  await ask({ type: 'load', document: { ...cnn, training: { ...cnn.training, device: 'cpu' } }, files });
  const before = { ...hg.poolStats };
  await ask({ type: 'step', steps: 3 });
  // The second and third steps take the first one's buffers.
  expect(hg.poolStats.reused - before.reused).toBeGreaterThan(10);
  await ask({ type: 'start' });
  // Between steps the pool holds the last step's buffers for the next one.
  await expect.poll(() => hg.poolStats.heldBytes, { timeout: 10_000 }).toBeGreaterThan(0);
  await ask({ type: 'pause' });
  expect(hg.poolStats.heldBytes).toBe(0);
});
