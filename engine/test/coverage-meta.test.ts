// Meta-test: every differentiable op the engine exports has a case in the conformance table
// (and so PyTorch parity and gradcheck), found by name in the cases' source.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { CASES } from './cases.ts';

/** Exports that are not tensor ops: creation, random, autograd machinery, namespaces, utilities. */
const NOT_OPS = new Set([
  // Devices and memory (tested in webgpu-*.test.ts).
  'setDefaultDevice',
  'getDefaultDevice',
  'initWebGPU',
  'webgpuBackend',
  'WebGPUBackend',
  'WebGPUUnavailableError',
  'tidy',
  'keep',
  'dispose',
  'release',
  // The status line's description of the compute path (a string, not a tensor op).
  'computeMode',
  'startScope',
  'endScope',
  'matmulThreadMode',
  'matmulThreadStats',
  'sgemmStats',
  'runMatmulHelper',
  'startMatmulThreads',
  'keepMatmulSingleThreaded',
  'stopMatmulThreads',
  'matmulKernel',
  'setMatmulKernel',
  'wasmSimdAvailable',
  'setWasmElementwise',
  'drainPool',
  'poolStats',
  'Tensor',
  'tensor',
  'zeros',
  'ones',
  'full',
  'empty',
  'zerosLike',
  'onesLike',
  'fullLike',
  'emptyLike',
  'arange',
  'linspace',
  'eye',
  'rand',
  'randn',
  'randint',
  'randperm',
  'multinomial',
  'randLike',
  'randnLike',
  'Generator',
  'manualSeed',
  'defaultGenerator',
  'backward',
  'grad',
  'noGrad',
  'enableGrad',
  'isGradEnabled',
  'setGradEnabled',
  'setDetectAnomaly',
  'detectAnomaly',
  'isAnomalyEnabled',
  'defineOp',
  'apply',
  'getBackend',
  'registerBackend',
  'cpuBackend',
  'promoteTypes',
  'gradcheck',
  'gradgradcheck',
  'formatTensor',
  'nn',
  'F',
  'init',
  'optim',
  'data',
  'sl',
  'Slice',
  'cast',
  'inferShape',
  'saveSafetensors',
  'loadSafetensors',
  'saveCheckpoint',
  'saveCheckpointAsync',
  'loadCheckpoint',
  'CHECKPOINT_FORMAT',
  'CHECKPOINT_VERSION',
  'broadcastTensors',
  'nonzero',
  'indexPut',
]);

describe('conformance table coverage', () => {
  const source = Object.values(CASES)
    .map((f) => f.toString())
    .join('\n');
  const ops = Object.entries(hg)
    .filter(([name, v]) => typeof v === 'function' && !NOT_OPS.has(name))
    .map(([name]) => name);

  it('finds the exported ops', () => expect(ops.length).toBeGreaterThan(90));

  for (const name of ops)
    it(`${name} has a case`, () => {
      expect(
        new RegExp(`[.\\s(]${name}\\(`).test(source),
        `no case in engine/test/cases.ts calls ${name}()`,
      ).toBe(true);
    });
});
