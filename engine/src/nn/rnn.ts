// RNNCell/GRUCell/LSTMCell and the multi-layer RNN/GRU/LSTM (tanh or relu, layers, batchFirst,
// bidirectional, dropout between layers) with PyTorch's parameter names (weight_ih_l0, …),
// shapes and uniform(−1/√H, 1/√H) initialisation.
import { pyArgs, is, type PyRest } from '../args.ts';
import { zeros } from '../creation.ts';
import { checkSizes } from './linear.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { cat, stack } from '../functional/shape.ts';
import { dropout, linear } from './functional.ts';
import { uniform_ } from './init.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';
import { gruStep, lstmStep, rnnStep, type RnnMode } from './rnn-cells.ts';
import { rnnSequence } from './rnn-sequence.ts';

const GATES: Record<RnnMode, number> = { RNN_TANH: 1, RNN_RELU: 1, GRU: 3, LSTM: 4 };
type Dtype = 'float32' | 'float64';

abstract class CellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    gates: number,
    bias: boolean,
    dtype: Dtype,
  ) {
    super();
    checkSizes(new.target.name, { input_size: inputSize, hidden_size: hiddenSize });
    this.weight_ih = this.param('weight_ih', zeros([gates * hiddenSize, inputSize], { dtype }));
    this.weight_hh = this.param('weight_hh', zeros([gates * hiddenSize, hiddenSize], { dtype }));
    this.bias_ih = bias ? this.param('bias_ih', zeros([gates * hiddenSize], { dtype })) : null;
    this.bias_hh = bias ? this.param('bias_hh', zeros([gates * hiddenSize], { dtype })) : null;
    const stdv = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -stdv, stdv);
  }

  protected checkInput(x: Tensor): void {
    if (x.shape[x.ndim - 1] !== this.inputSize)
      throw new Error(
        `${this.constructor.name}: input ${formatShape(x.shape)} should have ${this.inputSize} features in its last dim`,
      );
  }

  protected zerosState(x: Tensor): Tensor {
    return zeros(x.ndim === 2 ? [x.shape[0]!, this.hiddenSize] : [this.hiddenSize], {
      dtype: x.dtype,
      device: x.device,
    });
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? '' : ', bias=False'}`;
  }
}

interface CellOptions {
  bias?: boolean;
  nonlinearity?: 'tanh' | 'relu';
  dtype?: Dtype;
}
const CELL_CHECKS = {
  bias: is.bool,
  nonlinearity: is.oneOf('tanh', 'relu'),
  dtype: is.oneOf('float32', 'float64'),
};

export class RNNCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options?: CellOptions);
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PyRest<[bias: boolean, nonlinearity: 'tanh' | 'relu'], CellOptions>
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    const o = pyArgs<CellOptions & Record<string, unknown>>(
      'RNNCell',
      ['bias', 'nonlinearity', 'dtype'],
      rest,
      CELL_CHECKS,
    );
    super(inputSize, hiddenSize, 1, o.bias ?? true, o.dtype ?? 'float32');
    this.nonlinearity = o.nonlinearity ?? 'tanh';
  }
  readonly nonlinearity: 'tanh' | 'relu';

  forward(x: Tensor, h?: Tensor): Tensor {
    this.checkInput(x);
    const w = { weightHh: this.weight_hh, biasHh: this.bias_hh };
    return rnnStep(
      this.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU',
      linear(x, this.weight_ih, this.bias_ih),
      h ?? this.zerosState(x),
      w,
    );
  }
}

export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<CellOptions, 'nonlinearity'>);
  constructor(
    inputSize: number,
    hiddenSize: number,
    bias?: boolean,
    options?: Omit<CellOptions, 'nonlinearity'>,
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    const o = pyArgs<CellOptions & Record<string, unknown>>('GRUCell', ['bias', 'dtype'], rest, CELL_CHECKS);
    super(inputSize, hiddenSize, 3, o.bias ?? true, o.dtype ?? 'float32');
  }

  forward(x: Tensor, h?: Tensor): Tensor {
    this.checkInput(x);
    return gruStep(linear(x, this.weight_ih, this.bias_ih), h ?? this.zerosState(x), {
      weightHh: this.weight_hh,
      biasHh: this.bias_hh,
    });
  }
}

export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<CellOptions, 'nonlinearity'>);
  constructor(
    inputSize: number,
    hiddenSize: number,
    bias?: boolean,
    options?: Omit<CellOptions, 'nonlinearity'>,
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    const o = pyArgs<CellOptions & Record<string, unknown>>('LSTMCell', ['bias', 'dtype'], rest, CELL_CHECKS);
    super(inputSize, hiddenSize, 4, o.bias ?? true, o.dtype ?? 'float32');
  }

  forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, Tensor] {
    this.checkInput(x);
    const [h, c] = state ?? [this.zerosState(x), this.zerosState(x)];
    return lstmStep(linear(x, this.weight_ih, this.bias_ih), h, c, {
      weightHh: this.weight_hh,
      biasHh: this.bias_hh,
    });
  }
}

export interface RnnOptions {
  numLayers?: number;
  nonlinearity?: 'tanh' | 'relu';
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  dtype?: Dtype;
}

export abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropoutP: number;
  /** Called with every hidden state as it is computed (the step-through debugger unrolls with it). */
  onStep: ((step: { layer: number; direction: number; t: number; h: Tensor }) => void) | null = null;
  readonly bidirectional: boolean;
  readonly hasBias: boolean;

  constructor(
    readonly mode: RnnMode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: RnnOptions,
  ) {
    super();
    checkSizes(new.target.name, { input_size: inputSize, hidden_size: hiddenSize });
    const {
      numLayers = 1,
      bias = true,
      batchFirst = false,
      dropout: p = 0,
      bidirectional = false,
      dtype = 'float32',
    } = options;
    this.numLayers = numLayers;
    this.batchFirst = batchFirst;
    this.dropoutP = p;
    this.bidirectional = bidirectional;
    this.hasBias = bias;
    const gates = GATES[mode];
    const directions = bidirectional ? 2 : 1;
    for (let layer = 0; layer < numLayers; layer++)
      for (let d = 0; d < directions; d++) {
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const layerInput = layer === 0 ? inputSize : hiddenSize * directions;
        this.param(`weight_ih${suffix}`, zeros([gates * hiddenSize, layerInput], { dtype }));
        this.param(`weight_hh${suffix}`, zeros([gates * hiddenSize, hiddenSize], { dtype }));
        if (bias) {
          this.param(`bias_ih${suffix}`, zeros([gates * hiddenSize], { dtype }));
          this.param(`bias_hh${suffix}`, zeros([gates * hiddenSize], { dtype }));
        }
      }
    const stdv = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -stdv, stdv);
  }

  protected weights(layer: number, direction: number) {
    const sd = this.stateDict();
    const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
    return {
      weightIh: sd.get(`weight_ih${suffix}`)!,
      weightHh: sd.get(`weight_hh${suffix}`)!,
      biasIh: sd.get(`bias_ih${suffix}`) ?? null,
      biasHh: sd.get(`bias_hh${suffix}`) ?? null,
    };
  }

  /** Runs the stack over a [T, N, I] sequence; states are [layers·dirs, N, H]. */
  protected run(
    input: Tensor,
    h0: Tensor | null,
    c0: Tensor | null,
  ): { output: Tensor; hN: Tensor; cN: Tensor | null } {
    const unbatched = input.ndim === 2;
    if (input.ndim !== 2 && input.ndim !== 3)
      throw new Error(
        `${this.constructor.name}: expected input of 2 or 3 dims, got ${formatShape(input.shape)}`,
      );
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    if (x.shape[2] !== this.inputSize)
      throw new Error(
        `${this.constructor.name}: input ${formatShape(input.shape)} should have ${this.inputSize} features in its last dim`,
      );
    const [steps, batch] = x.shape as [number, number];
    const directions = this.bidirectional ? 2 : 1;
    const stateShape = [this.numLayers * directions, batch, this.hiddenSize];
    const prepare = (s: Tensor | null) =>
      s === null ? zeros(stateShape, { dtype: x.dtype, device: x.device }) : unbatched ? s.unsqueeze(1) : s;
    const h = prepare(h0);
    const c = this.mode === 'LSTM' ? prepare(c0) : null;
    const hOut: Tensor[] = [];
    const cOut: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < directions; d++) {
        const w = this.weights(layer, d);
        const index = layer * directions + d;
        const fused = (this.mode === 'RNN_TANH' || this.mode === 'RNN_RELU') && steps > 0;
        // The input projection of every step in one matmul; for the fused loop, of a batch-first
        // input as it lies (x is its transpose: projecting x would copy it first), handed on
        // transposed (the loop reads rows wherever they are), and without b_ih, which the loop
        // adds itself.
        const first = x.transpose(0, 1);
        const ownBias = fused && w.biasIh !== null && w.biasHh !== null;
        const projectionBias = ownBias ? null : w.biasIh;
        const xi =
          fused && !x.isContiguous() && first.isContiguous()
            ? linear(first, w.weightIh, projectionBias).transpose(0, 1)
            : linear(x, w.weightIh, projectionBias);
        let hs = h.index(index);
        let cs = c ? c.index(index) : null;
        if (fused) {
          const relu = this.mode === 'RNN_RELU';
          const batchFirst = this.batchFirst && !unbatched;
          const attrs = { relu, reverse: d === 1, batchFirst };
          const all = rnnSequence(xi, hs, w.weightHh, w.biasHh, attrs, ownBias ? w.biasIh : null);
          for (let s = 0; s < steps; s++) {
            const t = d === 0 ? s : steps - 1 - s;
            this.onStep?.({ layer, direction: d, t, h: all.index(t) });
          }
          outs.push(all);
          hOut.push(all.index(d === 0 ? steps - 1 : 0));
          continue;
        }
        const seq: Tensor[] = new Array(steps);
        for (let s = 0; s < steps; s++) {
          const t = d === 0 ? s : steps - 1 - s;
          const xt = xi.index(t);
          const cell = { weightHh: w.weightHh, biasHh: w.biasHh };
          if (this.mode === 'LSTM') [hs, cs] = lstmStep(xt, hs, cs!, cell);
          else if (this.mode === 'GRU') hs = gruStep(xt, hs, cell);
          else hs = rnnStep(this.mode, xt, hs, cell);
          seq[t] = hs;
          this.onStep?.({ layer, direction: d, t, h: hs });
        }
        outs.push(stack(seq, 0));
        hOut.push(hs);
        if (cs) cOut.push(cs);
      }
      x = directions === 1 ? outs[0]! : cat(outs, 2);
      if (this.dropoutP > 0 && layer < this.numLayers - 1) x = dropout(x, this.dropoutP, this.training);
    }
    let output = this.batchFirst && !unbatched ? x.transpose(0, 1) : x;
    let hN = stack(hOut, 0);
    let cN = c ? stack(cOut, 0) : null;
    if (unbatched) {
      output = output.squeeze(1);
      hN = hN.squeeze(1);
      cN = cN ? cN.squeeze(1) : null;
    }
    return { output, hN, cN };
  }

  override extraRepr(): string {
    const extras = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) extras.push(`num_layers=${this.numLayers}`);
    if (this.batchFirst) extras.push('batch_first=True');
    if (this.bidirectional) extras.push('bidirectional=True');
    return extras.join(', ');
  }
}

const RNN_CHECKS = {
  numLayers: is.positiveInt,
  nonlinearity: is.oneOf('tanh', 'relu'),
  bias: is.bool,
  batchFirst: is.bool,
  dropout: is.probability,
  bidirectional: is.bool,
  dtype: is.oneOf('float32', 'float64'),
};
const RNN_ARGS = [
  'numLayers',
  'nonlinearity',
  'bias',
  'batchFirst',
  'dropout',
  'bidirectional',
  'dtype',
] as const;
const GATED_ARGS = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype'] as const;
type GatedRest = [
  numLayers: number,
  bias: boolean,
  batchFirst: boolean,
  dropout: number,
  bidirectional: boolean,
];

export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: RnnOptions);
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PyRest<
      [
        numLayers: number,
        nonlinearity: 'tanh' | 'relu',
        bias: boolean,
        batchFirst: boolean,
        dropout: number,
        bidirectional: boolean,
      ],
      RnnOptions
    >
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    const options = pyArgs<RnnOptions & Record<string, unknown>>('RNN', RNN_ARGS, rest, RNN_CHECKS);
    super(options.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH', inputSize, hiddenSize, options);
  }
  /** Returns [output, h_n]. */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const { output, hN } = this.run(x, h0 ?? null, null);
    return [output, hN];
  }
}

export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RnnOptions, 'nonlinearity'>);
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PyRest<[...GatedRest], Omit<RnnOptions, 'nonlinearity'>>
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    super(
      'GRU',
      inputSize,
      hiddenSize,
      pyArgs<RnnOptions & Record<string, unknown>>('GRU', GATED_ARGS, rest, RNN_CHECKS),
    );
  }
  /** Returns [output, h_n]. */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const { output, hN } = this.run(x, h0 ?? null, null);
    return [output, hN];
  }
}

export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RnnOptions, 'nonlinearity'>);
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PyRest<[...GatedRest], Omit<RnnOptions, 'nonlinearity'>>
  );
  constructor(inputSize: number, hiddenSize: number, ...rest: unknown[]) {
    super(
      'LSTM',
      inputSize,
      hiddenSize,
      pyArgs<RnnOptions & Record<string, unknown>>('LSTM', GATED_ARGS, rest, RNN_CHECKS),
    );
  }
  /** Returns [output, [h_n, c_n]]. */
  forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const { output, hN, cN } = this.run(x, state?.[0] ?? null, state?.[1] ?? null);
    return [output, [hN, cN!]];
  }
}
