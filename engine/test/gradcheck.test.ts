// Every differentiable case of the conformance table passes gradcheck (central differences in
// float64) on the fixture's float64 inputs, which include broadcasting, size-1, size-0 and 0-d
// shapes; the common ops also pass gradgradcheck through createGraph.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { CASES } from './cases.ts';
import { decode, loadFixture } from './fixture.ts';

const cases = loadFixture('ops.json').cases.filter((c) => c.dtype === 'float64' && c.gradOutput);

const SECOND_ORDER = new Set([
  'exp',
  'log',
  'sqrt',
  'tanh',
  'sigmoid',
  'sin',
  'cos',
  'erf',
  'gelu',
  'silu',
  'softplus',
  'elu',
  'reciprocal',
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'powScalar',
  'atan2',
  'sum',
  'sumDims',
  'mean',
  'var',
  'prod',
  'amax',
  'logsumexp',
  'softmax',
  'logSoftmax',
  'norm',
  'matmul2d',
  'matmulBroadcast',
  'bmm',
  'cumsum',
  'gather',
  'indexAdvanced',
  'indexBool',
  'cat',
  'flip',
  'where',
  'mlp',
  'attentionByHand',
  'layerNormByHand',
  'indexPutAccumulate',
  'scatterAdd',
  'linalgInv',
  'detBatched',
  'slogdetLogabs',
  'logdet',
  'solve',
  'solveBroadcast',
  'cholesky',
  'matrixPowerNeg2',
  'lgamma',
  'digamma',
  'polygamma2',
  'erfinv',
  'erfc',
  'svdvals',
  'pinv',
  'eigvalsh',
  'qr',
  'matrixExp',
]);

describe('gradcheck in float64 over the conformance table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const inputs = c.inputs.map(decode);
      expect(hg.gradcheck(CASES[c.name]!, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-4 })).toBe(true);
    });
  }
});

describe('gradgradcheck (second order, createGraph) for the common ops', () => {
  it('covers ops that exist in the table', () => {
    for (const name of SECOND_ORDER) expect(CASES[name], name).toBeDefined();
  });
  for (const c of cases.filter((k) => SECOND_ORDER.has(k.name))) {
    it(c.name, () => {
      const inputs = c.inputs.map(decode);
      expect(hg.gradgradcheck(CASES[c.name]!, inputs, { eps: 1e-6, atol: 1e-5, rtol: 1e-3 })).toBe(true);
    });
  }
});
