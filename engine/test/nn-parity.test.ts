// nn layers and losses against PyTorch (fixtures/generate_nn.py): state dicts load under
// PyTorch's key names; forward outputs, input gradients and parameter gradients agree to
// rel 1e-5 in float32; and the same seed gives the same initial weights.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { closeness, decode, decodeNumber, type Encoded } from './fixture.ts';
import { readFileSync } from 'node:fs';
import { LAYER_CASES, LOSS_CASES } from './nn-cases.ts';

interface LayerFixture {
  name: string;
  seed: number;
  train: boolean;
  initState: Record<string, Encoded>;
  state: Record<string, Encoded>;
  inputs: Encoded[];
  output: Encoded;
  gradOutput: Encoded;
  inputGrads: (Encoded | null)[];
  paramGrads: Record<string, Encoded>;
}

interface LossFixture {
  name: string;
  inputs: Encoded[];
  output: Encoded;
  gradOutput: Encoded;
  inputGrads: Encoded[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as {
  torch: string;
  layers: LayerFixture[];
  losses: LossFixture[];
};

function expectClose(what: string, actual: hg.Tensor, expected: Encoded, rtol = 1e-5): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const want = expected.data.map(decodeNumber);
  const scale = Math.max(1, ...want.filter(Number.isFinite).map(Math.abs));
  const worst = closeness(Array.from(actual.dataSync()), want, rtol, 1e-6 * scale);
  expect(worst.index, `${what}: index ${worst.index} is ${worst.actual}, expected ${worst.expected}`).toBe(
    -1,
  );
}

const decodeState = (state: Record<string, Encoded>) =>
  new Map(Object.entries(state).map(([k, v]) => [k, decode(v)]));

describe(`nn layers match PyTorch ${fixture.torch}`, () => {
  it('has a TypeScript case for every fixture and vice versa', () => {
    expect(fixture.layers.map((l) => l.name).sort()).toEqual(Object.keys(LAYER_CASES).sort());
  });

  for (const c of fixture.layers) {
    const spec = LAYER_CASES[c.name]!;
    it(`${c.name}: same state-dict keys and shapes as PyTorch`, () => {
      const m = spec.make();
      const ours = [...m.stateDict()].map(([k, t]) => [k, t.shape]);
      expect(ours).toEqual(Object.entries(c.state).map(([k, t]) => [k, t.shape]));
    });

    it(`${c.name}: the same seed gives PyTorch's initial weights`, () => {
      hg.manualSeed(c.seed);
      const m = spec.make();
      for (const [k, t] of m.stateDict()) expectClose(`init ${k}`, t, c.initState[k]!, 1e-6);
    });

    it(`${c.name}: forward and backward`, () => {
      const m = spec.make();
      m.loadStateDict(decodeState(c.state));
      m.train(c.train);
      const inputs = c.inputs.map((e) => {
        const t = decode(e);
        return e.dtype.startsWith('float') ? t.requiresGrad_() : t;
      });
      const out = spec.run ? spec.run(m, ...inputs) : (m.call(...inputs) as hg.Tensor);
      expectClose('output', out, c.output);
      const params = [...m.namedParameters()];
      const gradInputs = inputs.filter((x) => x.requiresGrad);
      const grads = hg.grad(out, [...gradInputs, ...params.map(([, p]) => p)], {
        gradOutputs: decode(c.gradOutput),
        allowUnused: true,
      });
      c.inputGrads.forEach((g, i) => {
        if (!g) return;
        // No path to an input (a nearest grid_sample's grid): torch gives zeros there, the engine null.
        if (grads[i] === null)
          return void expect(
            g.data.every((v) => decodeNumber(v) === 0),
            `grad of input ${i} is null`,
          ).toBe(true);
        expectClose(`grad of input ${i}`, grads[i]!, g);
      });
      params.forEach(([name], i) => {
        const expected = c.paramGrads[name];
        if (expected) expectClose(`grad of ${name}`, grads[gradInputs.length + i]!, expected);
      });
    });
  }
});

describe('losses match PyTorch', () => {
  it('has a TypeScript case for every fixture and vice versa', () => {
    expect(fixture.losses.map((l) => l.name).sort()).toEqual(Object.keys(LOSS_CASES).sort());
  });

  for (const c of fixture.losses) {
    it(c.name, () => {
      const inputs = c.inputs.map(decode);
      inputs[0]!.requiresGrad_();
      const out = LOSS_CASES[c.name]!(...inputs);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      expectClose('loss', out, c.output);
      const [g] = hg.grad(out, inputs[0]!, { gradOutputs: decode(c.gradOutput) });
      expectClose('grad of input', g!, c.inputGrads[0]!);
    });
  }
});
