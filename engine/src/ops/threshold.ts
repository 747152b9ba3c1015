// PyTorch's threshold_backward, ReLU's backward: the gradient passes where the forward's output
// is above the threshold, else 0 (a NaN output passes nothing, as `out > t` is false). One pass
// over float32 on the CPU; elsewhere the composed where(gt(out, t), g, 0), which it equals.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import { fromBufferLike } from './make.ts';
import { gt } from './compare.ts';
import { where } from './where.ts';

interface Attrs {
  threshold: number;
}

const fused = (g: Tensor, out: Tensor): boolean =>
  g.device === 'cpu' &&
  g.dtype === 'float32' &&
  out.dtype === 'float32' &&
  g.isContiguous() &&
  out.isContiguous() &&
  g.shape.length === out.shape.length &&
  g.shape.every((d, i) => d === out.shape[i]);

function thresholdKernel(g: Tensor, out: Tensor, threshold: number): Tensor {
  const gv = g.view_();
  const ov = out.view_();
  const G = gv.buffer as Float32Array;
  const n = g.numel();
  // Branch-free (signs of activations are a coin flip for the branch predictor): g's bits are
  // kept under an all-ones mask, so NaN and −0 pass exactly and a masked entry is +0, as where().
  const bits = new Int32Array(G.buffer, G.byteOffset + gv.offset * 4, n);
  const O = (ov.buffer as Float32Array).subarray(ov.offset, ov.offset + n);
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = bits[i]! & -(O[i]! > threshold);
  const values = new Float32Array(r.buffer);
  return fromBufferLike(g.storage.backend, g.storage.backend.fromTypedArray(values, 'float32'), g, 'float32');
}

const ThresholdBackward: OpDef<Attrs> = defineOp<Attrs>({
  name: 'ThresholdBackward',
  forward([g, out], { threshold }, ctx) {
    ctx.save(out!);
    return fused(g!, out!) ? thresholdKernel(g!, out!, threshold) : where(gt(out!, threshold), g!, 0);
  },
  // Linear in g; the output only selects (its gradient is zero almost everywhere).
  backward: (gg, { saved: [out], attrs }) => [apply(ThresholdBackward, [gg, out!], attrs), null],
});

/** g where out > threshold, else 0 (ReLU's backward with threshold 0). */
export function thresholdBackward(g: Tensor, out: Tensor, threshold = 0): Tensor {
  return apply(ThresholdBackward, [g, out], { threshold });
}
