// The op conformance table on the WebGPU backend (Dawn in Node; a software adapter here): every
// case runs on the CPU and on the GPU, forward and backward, and the two must agree. Float64
// cases run in float32 on both (WGSL has no f64). Without an adapter the suite is skipped, by name.
import { afterAll, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { CASES } from './cases.ts';
import { closeness, decode, loadFixture } from './fixture.ts';
import { gpuOrReason } from './webgpu-available.ts';

const fixture = loadFixture('ops.json');
/** GPU float32 math (exp, log, sums in another order) against the CPU's double-then-round. */
const TOL = { rtol: 2e-4, atol: 2e-5 };
/**
 * Boolean-mask indexing: the result's shape depends on the mask's values, which a GPU cannot
 * give synchronously. These cases must refuse with the reason; a CPU mask indexes a GPU tensor.
 */
const MASK_CASES = new Set([
  'indexBool',
  'indexBoolRows',
  'indexBoolMixed',
  'indexPutBool',
  'maskedSelect',
  'argwhere',
]);
/**
 * Order statistics, one-hot and the value-only scatter reductions (prod, amax, amin): they are
 * computed from the values on the CPU, so a GPU tensor is refused with the reason and how to read
 * it first.
 */
const CPU_ORDER_CASES = new Set([
  'sortValues',
  'sortDescending',
  'topk',
  'topkSmallest',
  'kthvalue',
  'medianDim',
  'medianAll',
  'cummax',
  'cummin',
  'sortIndices',
  'argsort',
  'topkIndices',
  'modeValues',
  'modeIndices',
  'oneHot',
  'unique',
  'uniqueCounts',
  'uniqueInverse',
  'allclose',
  'scatterReduceMultiply',
  'scatterReduceAmax',
  'aliasShapes', // msort
  'nextafter',
  'nextafterZero',
  'frexpMantissa',
  'frexpExponent',
  'gcd',
  'lcm',
  // Statistics and searches read their values on the CPU (statistics.ts), as does index_fill its positions.
  'quantile',
  'quantileMany',
  'quantileKeepdim',
  'quantileLower',
  'quantileHigher',
  'quantileMidpoint',
  'quantileNearest',
  'quantileNan',
  'nanquantile',
  'nanmedian',
  'histc',
  'histcRange',
  'bincount',
  'bincountWeights',
  'bucketize',
  'bucketizeRight',
  'searchsorted',
  'searchsortedRight',
  'isin',
  'indexFill',
  'indexFillTensor',
]);
/** torch.linalg's factorisations (LU, Cholesky) run on the CPU: a GPU tensor is refused, saying how to move it. */
const CPU_FACTOR_CASES = new Set([
  'linalgInv',
  'linalgInvBatched',
  'det',
  'detBatched',
  'det1x1',
  'slogdetLogabs',
  'slogdetSign',
  'logdet',
  'solve',
  'solveVector',
  'solveBatchVector',
  'solveBroadcast',
  'cholesky',
  'choleskyUpper',
  'matrixPowerNeg2',
  'svdvals',
  'svdvalsBatched',
  'svdReconstruct',
  'svdAbsU',
  'svdAbsVh',
  'svdSquare',
  'pinv',
  'pinvWide',
  'matrixRank',
  'cond',
  'matrixNormNuc',
  'matrixNorm2',
  'matrixNormNeg2',
  'eigvalsh',
  'eighAbsV',
  'eighReconstruct',
  'qr',
  'qrSquare',
  'qrBatched',
  'qrWide',
  'qrComplete',
  'qrR',
  'matrixExp',
  'matrixExpLarge',
  'lstsq',
  'lstsqVector',
  'lstsqRank',
]);
/** polygamma(n ≥ 2) (the Hurwitz zeta) runs on the CPU: polygamma(1)'s gradient is one. */
const CPU_POLYGAMMA_CASES = new Set(['polygamma1', 'polygamma2', 'polygamma3']);
/** float64 results: WGSL has no 64-bit floats, so these are refused on the GPU. */
const FLOAT64_CASES = new Set(['sumDtype', 'floatPower']);

const gpu = await gpuOrReason();

async function valuesOf(t: hg.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

async function expectAgree(what: string, gpuT: hg.Tensor | null, cpuT: hg.Tensor | null): Promise<void> {
  if (cpuT === null) return void expect(gpuT, what).toBeNull();
  expect(gpuT, what).not.toBeNull();
  expect(gpuT!.device, `${what} device`).toBe('webgpu');
  expect(gpuT!.shape, `${what} shape`).toEqual(cpuT.shape);
  expect(gpuT!.dtype, `${what} dtype`).toBe(cpuT.dtype);
  const got = await valuesOf(gpuT!);
  const want = Array.from(cpuT.dataSync());
  if (cpuT.dtype === 'int32' || cpuT.dtype === 'bool') return void expect(got, what).toEqual(want);
  const scale = Math.max(1, ...want.filter(Number.isFinite).map(Math.abs));
  const worst = closeness(got, want, TOL.rtol, TOL.atol * scale);
  expect(
    worst.index,
    `${what}: index ${worst.index} is ${worst.actual} on the GPU, ${worst.expected} on the CPU`,
  ).toBe(-1);
}

/** The case's inputs, float64 ones cast to float32 (keeping requiresGrad), on a device. */
function inputsOn(c: (typeof fixture.cases)[number], device: hg.Device): hg.Tensor[] {
  return c.inputs.map((e) => {
    let t = decode(e);
    if (t.dtype === 'float64')
      t = t
        .detach()
        .float()
        .requiresGrad_(e.requiresGrad ?? false);
    return device === 'cpu' ? t : t.detach().to(device).requiresGrad_(t.requiresGrad);
  });
}

function runCase(c: (typeof fixture.cases)[number], device: hg.Device) {
  // Decoded on the CPU (float64 ones cast there), then moved; the case's own constants follow
  // the default device.
  const inputs = inputsOn(c, device);
  let gradOutput = c.gradOutput ? decode(c.gradOutput) : null;
  if (gradOutput?.dtype === 'float64') gradOutput = gradOutput.float();
  if (gradOutput && device !== 'cpu') gradOutput = gradOutput.to(device);
  hg.setDefaultDevice(device);
  try {
    const out = CASES[c.name]!(...inputs);
    if (!gradOutput) return { out, grads: [] as (hg.Tensor | null)[] };
    const differentiable = inputs.filter((x) => x.requiresGrad);
    const grads = hg.grad(out, differentiable, { gradOutputs: gradOutput, allowUnused: true });
    return { out, grads };
  } finally {
    hg.setDefaultDevice('cpu');
  }
}

describe.skipIf(typeof gpu === 'string')(
  `WebGPU conformance${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    afterAll(() => hg.setDefaultDevice('cpu'));

    it('names its adapter and feature level', () => {
      const { info } = gpu as hg.WebGPUBackend;
      expect(info.adapter).toMatch(/\S/);
      expect(['core', 'compatibility']).toContain(info.featureLevel);
    });

    it('indexes a GPU tensor with a CPU mask', async () => {
      const x = hg.arange(12).reshape([3, 4]).float();
      const mask = x.gt(4.5);
      const want = x.index(mask).tolist();
      expect(await x.to('webgpu').index(mask).tolistAsync()).toEqual(want);
    });

    for (const c of fixture.cases) {
      if (MASK_CASES.has(c.name)) {
        it(`${c.name} (${c.dtype}) is refused with the reason: the mask's values decide the shape`, () => {
          expect(() => runCase(c, 'webgpu')).toThrow(
            /nonzero \(and boolean mask indexing\).*toAsync\('cpu'\)/,
          );
        });
        continue;
      }
      if (CPU_FACTOR_CASES.has(c.name)) {
        it(`${c.name} (${c.dtype}) is refused with the reason: it runs on the CPU`, () => {
          expect(() => runCase(c, 'webgpu')).toThrow(/a 'webgpu' tensor.* on the CPU.*toAsync\('cpu'\)/);
        });
        continue;
      }
      if (CPU_POLYGAMMA_CASES.has(c.name)) {
        it(`${c.name} (${c.dtype}) is refused with the reason: polygamma(n ≥ 2) runs on the CPU`, () => {
          expect(() => runCase(c, 'webgpu')).toThrow(
            /polygamma: n = \d+ runs on the CPU: use \(await x\.toAsync\('cpu'\)\)/,
          );
        });
        continue;
      }
      if (CPU_ORDER_CASES.has(c.name)) {
        it(`${c.name} (${c.dtype}) is refused with the reason: the order is found on the CPU`, () => {
          expect(() => runCase(c, 'webgpu')).toThrow(/'webgpu'.*(toAsync\('cpu'\)|await t\.data\(\))/);
        });
        continue;
      }
      if (FLOAT64_CASES.has(c.name)) {
        it(`${c.name} (${c.dtype}) is refused with the reason: no float64 on the GPU`, () => {
          expect(() => runCase(c, 'webgpu')).toThrow(/float64/);
        });
        continue;
      }
      it(`${c.name} (${c.dtype}) agrees with the CPU backend, forward and backward`, async () => {
        const cpu = runCase(c, 'cpu');
        const onGpu = runCase(c, 'webgpu');
        await expectAgree('output', onGpu.out, cpu.out);
        for (let i = 0; i < cpu.grads.length; i++)
          await expectAgree(`grad of input ${i}`, onGpu.grads[i] ?? null, cpu.grads[i] ?? null);
      });
    }
  },
);
