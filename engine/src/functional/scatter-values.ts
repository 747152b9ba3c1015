// Value-only scatter reductions (prod, amax, amin): torch gives these no gradient through
// torch.scatter(reduce='multiply'), and we refuse to differentiate them rather than return a
// wrong gradient. One loop serves scatter(reduce='multiply') and scatterReduce.
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';

export type ValueReduce = 'prod' | 'amax' | 'amin';

export function scatterValues(
  caller: string,
  x: Tensor,
  d: number,
  index: Tensor,
  src: Tensor,
  reduce: ValueReduce,
  includeSelf: boolean,
): Tensor {
  if (x.requiresGrad || src.requiresGrad)
    throw new Error(
      `${caller}: the gradient of reduce='${reduce}' is not implemented (PyTorch has none either); use it under noGrad`,
    );
  const out = Float64Array.from(x.contiguous().dataSync());
  const seen = new Uint8Array(out.length);
  const idx = index.contiguous().dataSync();
  const values = src.contiguous().dataSync();
  const stridesOf = (shape: readonly number[]) =>
    shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const strides = stridesOf(x.shape);
  const istrides = stridesOf(index.shape);
  const sstrides = stridesOf(src.shape);
  for (let e = 0; e < idx.length; e++) {
    let target = 0;
    let from = 0;
    for (let k = 0; k < index.ndim; k++) {
      const coord = Math.floor(e / istrides[k]!) % index.shape[k]!;
      const at = k === d ? Number(idx[e]!) : coord;
      if (k === d && (at < 0 || at >= x.shape[d]!))
        throw new Error(`${caller}: index ${at} is out of bounds for dim ${d} with size ${x.shape[d]}`);
      target += at * strides[k]!;
      from += coord * sstrides[k]!;
    }
    const v = values[from]!;
    if (!includeSelf && !seen[target]) out[target] = v;
    else if (reduce === 'prod') out[target] = out[target]! * v;
    else if (reduce === 'amax') out[target] = Math.max(out[target]!, v);
    else out[target] = Math.min(out[target]!, v);
    seen[target] = 1;
  }
  return tensor(out, { shape: x.shape, dtype: x.dtype, device: x.device });
}
