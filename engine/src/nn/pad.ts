// F.pad: pads (or, with negative amounts, crops) the last dims. `pad` lists (before, after) pairs
// starting from the last dim, as in PyTorch: [left, right] pads the last dim, [left, right, top,
// bottom] the last two. Modes: constant (any value), reflect (mirror without the edge), replicate
// (repeat the edge) and circular (wrap around). Built from slices, cat and index_select, so the
// gradient of every mode comes from those ops.
import { pyArgs, is, type PyRest } from '../args.ts';
import { full, tensor } from '../creation.ts';
import { cat } from '../functional/shape.ts';
import type { Tensor } from '../tensor.ts';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

function padDim(x: Tensor, dim: number, before: number, after: number, mode: PadMode, value: number): Tensor {
  const n = x.shape[dim]!;
  // Negative amounts crop (in every mode, as PyTorch's constant mode does).
  if (before < 0 || after < 0) {
    const start = Math.max(0, -before);
    const cropped = x.narrow(dim, start, n - start - Math.max(0, -after));
    return padDim(cropped, dim, Math.max(0, before), Math.max(0, after), mode, value);
  }
  if (before === 0 && after === 0) return x;
  if (mode === 'constant') {
    const side = (size: number) => {
      const shape = [...x.shape];
      shape[dim] = size;
      return full(shape, value, { dtype: x.dtype, device: x.device });
    };
    return cat([...(before ? [side(before)] : []), x, ...(after ? [side(after)] : [])], dim);
  }
  if (mode === 'reflect' && (before >= n || after >= n))
    throw new Error(
      `pad: padding size should be less than the corresponding input dimension in reflect mode, got ${Math.max(before, after)} for a dim of ${n}`,
    );
  if (mode === 'circular' && (before > n || after > n))
    throw new Error(
      `pad: padding of ${Math.max(before, after)} is larger than the dim of ${n} it wraps around`,
    );
  const source = (i: number): number => {
    if (i >= 0 && i < n) return i;
    if (mode === 'replicate') return i < 0 ? 0 : n - 1;
    if (mode === 'circular') return ((i % n) + n) % n;
    return i < 0 ? -i : 2 * (n - 1) - i; // reflect
  };
  const index = Array.from({ length: before + n + after }, (_, j) => source(j - before));
  return x.indexSelect(dim, tensor(index, { dtype: 'int32', device: x.device }));
}

export function pad(
  input: Tensor,
  amounts: readonly number[],
  ...rest: PyRest<[mode: PadMode, value: number | null], { mode?: PadMode; value?: number | null }>
): Tensor {
  const { mode = 'constant', value } = pyArgs<{ mode: PadMode; value: number | null }>(
    'pad',
    ['mode', 'value'],
    rest,
    { mode: is.oneOf('constant', 'reflect', 'replicate', 'circular'), value: is.orNull(is.number) },
  );
  if (amounts.length % 2 !== 0 || amounts.length / 2 > input.ndim || !amounts.every(Number.isInteger))
    throw new Error(
      `pad: expected (before, after) integer pairs for at most ${input.ndim} dims, got [${amounts.join(', ')}]`,
    );
  if (mode !== 'constant' && value !== undefined && value !== null && value !== 0)
    throw new Error(`pad: a value applies to constant mode only, got mode '${mode}'`);
  let out = input;
  for (let i = 0; i < amounts.length / 2; i++)
    out = padDim(out, input.ndim - 1 - i, amounts[2 * i]!, amounts[2 * i + 1]!, mode, value ?? 0);
  return out;
}
