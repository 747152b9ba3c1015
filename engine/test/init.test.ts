// nn.init after manualSeed(seed) gives torch.nn.init's values (fixtures/generate_init.py): the
// same random draws through the same formulas (truncated normal through erfinv, orthogonal
// through a sign-fixed QR), and refuses options it does not know.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn } from '../src/index.ts';

interface InitCase {
  name: string;
  index: number;
  seed: number;
  shape: number[];
  values: number[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/init.json', import.meta.url), 'utf8')) as {
  cases: InitCase[];
};

const I = hg.init;
/** The same calls as generate_init.py's, in its order. */
const CALLS: ((t: hg.Tensor) => unknown)[] = [
  (t) => I.truncNormal_(t),
  (t) => I.truncNormal_(t, { mean: 0.5, std: 0.2, a: 0, b: 1 }),
  (t) => I.orthogonal_(t),
  (t) => I.orthogonal_(t, 2),
  (t) => I.orthogonal_(t),
  (t) => I.eye_(t),
  (t) => I.dirac_(t),
  (t) => I.dirac_(t, 2),
  (t) => I.kaimingUniform_(t, { a: 0.1, mode: 'fan_out', nonlinearity: 'leaky_relu' }),
  (t) => I.kaimingNormal_(t, { nonlinearity: 'relu' }),
];

describe('nn.init matches torch.nn.init', () => {
  it('has a call for every fixture case; nn.init is the same namespace', () => {
    expect(CALLS.length).toBe(fx.cases.length);
    expect(nn.init.orthogonal_).toBe(hg.init.orthogonal_);
  });
  for (const c of fx.cases)
    it(`${c.name} ${JSON.stringify(c.shape)} (case ${c.index})`, () => {
      hg.manualSeed(c.seed);
      const t = hg.empty(c.shape);
      CALLS[c.index]!(t);
      const got = t.dataSync();
      c.values.forEach((v, i) =>
        expect(Math.abs(got[i]! - v), `value ${i}`).toBeLessThan(2e-6 * Math.max(1, Math.abs(v))),
      );
    });

  it('orthogonal_ gives orthonormal rows (or columns), and refuses a vector', () => {
    const w = hg.empty([3, 8]);
    I.orthogonal_(w);
    const gram = w.matmul(w.t()).dataSync();
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(gram[i * 3 + j]!).toBeCloseTo(i === j ? 1 : 0, 5);
    expect(() => I.orthogonal_(hg.empty([4]))).toThrow(/2 or more dimensions/);
  });

  it('unknown options are refused, naming the nearest', () => {
    expect(() => I.kaimingUniform_(hg.empty([3, 3]), { mod: 'fan_out' } as never)).toThrow(
      /did you mean 'mode'/,
    );
    expect(() => I.truncNormal_(hg.empty([3]), { sd: 1 } as never)).toThrow(/unknown option 'sd'/);
    expect(() => I.kaimingNormal_(hg.empty([3, 3]), { nonlinearity: 'swish' } as never)).toThrow(
      /nonlinearity must be one of/,
    );
  });
});
