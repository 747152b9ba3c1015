// A convolution's product W [O, C·K] · columns(x) (+ bias) as one op on the CPU: forward, input gradient
// and weight gradient run through backend/wasm/conv.ts, which lays each sample's columns out in
// WebAssembly memory where the product reads them instead of making the [N, C·K, L] column
// tensors. The results are bit for bit those of im2col, the batched matmul and col2im composed
// (the same kernel sums each entry in the same order), which this op falls back to without
// WebAssembly and uses for gradients of gradients (they are differentiable ops).
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { fromBuffer } from './make.ts';
import { col2imRaw, im2colRaw, runs, values, type ColumnAttrs } from './im2col.ts';
import {
  wasmConvForward,
  wasmConvInputGrad,
  wasmConvWeightGrads,
  type ConvSizes,
} from '../backend/wasm/conv.ts';

function sizes(w: Tensor, { source, K, L, inputShape }: ColumnAttrs): ConvSizes {
  const [n, c] = inputShape as [number, number];
  const plane = inputShape.slice(2).reduce((a, b) => a * b, 1);
  return { n, c, plane, o: w.shape[0]!, K, L, runs: runs(source) };
}

const composedColumns = (x: Tensor, a: ColumnAttrs) => im2colRaw(x, a.source, a.K, a.L);

const Convolution = defineOp<ColumnAttrs>({
  name: 'Convolution',
  forward([x, w, b], attrs, ctx) {
    ctx.save(x!, w!);
    const { data, at } = values(x!);
    const o = w!.shape[0]!;
    const bias = b ? values(b) : null;
    const out = wasmConvForward(
      data,
      at,
      w!.view_(),
      bias && bias.data.subarray(bias.at, bias.at + o),
      sizes(w!, attrs),
    );
    if (!out) {
      const product = w!.matmul(composedColumns(x!, attrs));
      return b ? product.add(b.reshape(1, o, 1)) : product;
    }
    const backend = x!.storage.backend;
    return fromBuffer(
      backend,
      backend.fromTypedArray(out, 'float32'),
      [x!.shape[0]!, w!.shape[0]!, attrs.L],
      'float32',
    );
  },
  backward(g, { saved: [x, w], attrs, needsInputGrad }) {
    const s = sizes(w!, attrs);
    const backend = x!.storage.backend;
    // With createGraph the composed ops, so that these gradients are differentiable again.
    const fast = !isGradEnabled();
    const grads = values(g);
    let dx: Tensor | null = null;
    if (needsInputGrad[0]) {
      const buffer = fast ? wasmConvInputGrad(grads.data, grads.at, w!.view_(), s) : null;
      dx = buffer
        ? fromBuffer(backend, backend.fromTypedArray(buffer, 'float32'), attrs.inputShape, 'float32')
        : col2imRaw(w!.t().matmul(g), attrs);
    }
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsInputGrad[1]) {
      const { data, at } = values(x!);
      // The bias's gradient comes along while g is in WebAssembly memory.
      const computed = fast
        ? wasmConvWeightGrads(grads.data, grads.at, data, at, s, needsInputGrad[2] === true)
        : null;
      const perSample = computed
        ? fromBuffer(
            backend,
            backend.fromTypedArray(computed.weight, 'float32'),
            [s.n, s.o, s.c * s.K],
            'float32',
          )
        : g.matmul(composedColumns(x!, attrs).transpose(1, 2));
      // Summed over the batch as the broadcast weight's gradient is.
      dw = perSample.sum(0);
      if (computed?.bias)
        db = fromBuffer(backend, backend.fromTypedArray(computed.bias, 'float32'), [s.o], 'float32');
    }
    // The bias's gradient: summed over the batch and the positions, as the broadcast add's is.
    if (needsInputGrad[2] && !db) db = g.sum([0, 2]);
    return [dx, dw, db].slice(0, needsInputGrad.length);
  },
});

/**
 * W [O, C·K] · columns of x [N, C, *spatial] for a window table (source, K, L), plus bias [O]
 * when given: [N, O, L]. CPU float32 only (the direct im2col path).
 */
export function convolution(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  source: Int32Array,
  K: number,
  L: number,
): Tensor {
  return apply(Convolution, bias ? [x, w, bias] : [x, w], { source, K, L, inputShape: x.shape });
}
