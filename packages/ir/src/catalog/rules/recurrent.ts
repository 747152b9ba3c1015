// RNN, GRU and LSTM share one rule: batch-first [N, T, inputSize] → [N, T, hiddenSize].
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const rnnParams = z.object({
  inputSize: z.number().int().min(1).max(100_000).describe('Features per time step'),
  hiddenSize: z.number().int().min(1).max(100_000).describe('Features of the hidden state'),
  numLayers: z.number().int().min(1).max(16).default(1).describe('Stacked recurrent layers'),
});

export function recurrent<K extends 'RNN' | 'GRU' | 'LSTM'>(
  kind: K,
  gates: number,
  doc: string,
  backwardRule: string,
): NodeKind<z.infer<typeof rnnParams>, K> {
  return {
    kind,
    category: 'layer',
    doc,
    backwardRule,
    followsInput: { param: 'inputSize', dim: 'last' },
    face: (p) => `${p.inputSize} → ${p.hiddenSize}${p.numLayers > 1 ? ` ×${p.numLayers}` : ''}`,
    inputs: [{ name: 'input', dtype: 'float', doc: '[N, T, inputSize] (batch first)' }],
    outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, hiddenSize]: the last layer at every step' }],
    params: rnnParams,
    initial: { inputSize: 32, hiddenSize: 64 },
    infer({ input }, p) {
      const x = input!;
      if (x.length !== 3) throw new ShapeError(`${kind} expects [N, T, ${p.inputSize}], got ${fmt(x)}`);
      if (x[2] !== p.inputSize)
        throw new ShapeError(
          `${kind} expects ${p.inputSize} features per step, got ${fmt(x)}; set inputSize to ${String(x[2])}`,
        );
      const h = p.hiddenSize;
      let params = 0;
      for (let l = 0; l < p.numLayers; l++) params += gates * h * ((l === 0 ? p.inputSize : h) + h + 2);
      return {
        outputs: { output: [x[0]!, x[1]!, h] },
        params,
        flops: 2 * params * (typeof x[1] === 'number' ? x[1] : 1),
      };
    },
  };
}
