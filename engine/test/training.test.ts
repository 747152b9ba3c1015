// End-to-end training with the nn/optim/data stack, through the example scripts' own code
// (small settings; the examples' defaults are the full ones).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fitLinear } from '../../examples/linear_regression.ts';
import { trainBlobs } from '../../examples/train_loop.ts';
import { trainFashion } from '../../examples/fashion_mnist.ts';
import { sample, trainChars } from '../../examples/nlp_demo.ts';

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('training', () => {
  it('linear regression: MSE falls below 0.02 and the weights are recovered', () => {
    const r = fitLinear(100);
    expect(r.loss).toBeLessThan(0.02);
    r.weight.forEach((w, i) => expect(Math.abs(w - r.trueWeight[i]!)).toBeLessThan(0.05));
    expect(Math.abs(r.bias - 0.5)).toBeLessThan(0.05);
  });

  it('blobs MLP reaches at least 98% test accuracy', () => {
    const { accuracy, losses } = trainBlobs(10);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it('Fashion-MNIST (committed 6,000-image subset) MLP reaches at least 80% test accuracy', async () => {
    const { accuracy, trained } = await trainFashion('mlp', { epochs: 4, preferFull: false });
    expect(trained).toBe(6000);
    expect(accuracy).toBeGreaterThanOrEqual(0.8);
  }, 120_000);

  it('Fashion-MNIST small CNN learns (one epoch on 2,000 images)', async () => {
    const { accuracy } = await trainFashion('cnn', { epochs: 1, trainLimit: 2000, preferFull: false });
    expect(accuracy).toBeGreaterThan(0.5);
  }, 120_000);

  it('character GRU: the loss falls by at least 30% and sampling produces text', () => {
    const { model, tok, losses } = trainChars({ steps: 50 });
    const start = mean(losses.slice(0, 5));
    const end = mean(losses.slice(-5));
    expect(end).toBeLessThan(0.7 * start);
    const text = sample(model, tok, 'And', 20);
    expect(text.startsWith('And')).toBe(true);
    expect(text.length).toBe(23);
  }, 120_000);
});

describe('example scripts run', () => {
  for (const script of ['examples/checkpoint.ts', 'examples/mlp_test.ts', 'examples/train_loop.ts']) {
    it(
      script,
      () => {
        const out = execFileSync('npx', ['tsx', script, '--quick'], {
          cwd: new URL('../../', import.meta.url).pathname,
          encoding: 'utf8',
        });
        expect(out.length).toBeGreaterThan(0);
        if (script.includes('checkpoint'))
          expect(out).toContain('weights identical to uninterrupted training: true');
        if (script.includes('train_loop')) expect(out).toMatch(/test accuracy: (9[89]|100)\./);
      },
      60_000,
    );
  }
});
