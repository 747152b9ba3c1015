// manualSeed + the random factories reproduce PyTorch's CPU streams (fixtures from python3-torch).
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { closeness, loadFixture } from './fixture.ts';

interface RandomCase {
  fn: 'rand' | 'randn' | 'randint' | 'randperm' | 'sequence';
  seed: number;
  n: number;
  dtype?: 'float32' | 'float64';
  low?: number;
  high?: number;
  values: number[];
}

const { cases } = loadFixture('random.json') as unknown as { cases: RandomCase[] };

function sample(c: RandomCase): number[] {
  hg.manualSeed(c.seed);
  switch (c.fn) {
    case 'rand':
      return Array.from(hg.rand([c.n], { dtype: c.dtype }).dataSync());
    case 'randn':
      return Array.from(hg.randn([c.n], { dtype: c.dtype }).dataSync());
    case 'randint':
      return Array.from(hg.randint(c.low!, c.high!, [c.n]).dataSync());
    case 'randperm':
      return Array.from(hg.randperm(c.n).dataSync());
    case 'sequence':
      return [...hg.rand([c.n]).dataSync(), ...hg.randn([c.n]).dataSync()];
  }
}

describe('random streams match PyTorch', () => {
  for (const c of cases) {
    it(`${c.fn}(${c.n}${c.dtype ? `, ${c.dtype}` : ''}) with seed ${c.seed}`, () => {
      const got = sample(c);
      // float32 randn of 16+ values runs PyTorch's vectorised float math: agree to float32 precision.
      const [rtol, atol] = c.fn === 'rand' ? [0, 0] : c.dtype === 'float32' ? [1e-5, 1e-6] : [1e-12, 0];
      expect(closeness(got, c.values, rtol, atol).index).toBe(-1);
      expect(got.length).toBe(c.values.length);
    });
  }

  it('a Generator object is independent of the default one and restorable', () => {
    const g = new hg.Generator(7);
    const state = g.getState();
    const first = hg.rand([4], { generator: g }).tolist();
    g.setState(state);
    expect(hg.rand([4], { generator: g }).tolist()).toEqual(first);
    expect(() => g.setState({ ...state, state: [1, 2] })).toThrow(
      'Generator.setState: expected 624 state words, got 2',
    );
  });

  it('multinomial draws only categories with positive weight', () => {
    hg.manualSeed(3);
    const draws = hg.multinomial(hg.tensor([0, 1, 0, 3]), 50, { replacement: true }).tolist() as number[];
    expect(new Set(draws)).toEqual(new Set([1, 3]));
    const noReplacement = hg.multinomial(hg.tensor([[1, 1, 1, 1]]), 4).tolist() as number[][];
    expect([...noReplacement[0]!].sort()).toEqual([0, 1, 2, 3]);
    expect(() => hg.multinomial(hg.tensor([1, 2]), 3)).toThrow('cannot sample n_sample > prob_dist.size(-1)');
  });
});
