// toString() like PyTorch's: 4 digits of precision, scientific notation when the magnitudes
// call for it, aligned columns, "..." summaries above 1000 elements, and the dtype,
// requires_grad or grad_fn suffix.
import { isFloating } from './dtype.ts';
import type { Tensor } from './tensor.ts';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** Python's '{:.4e}': at least two exponent digits. */
function sci(v: number): string {
  const [mantissa, exponent] = v.toExponential(PRECISION).split('e') as [string, string];
  const sign = exponent[0] === '-' ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

function makeFormatter(t: Tensor, values: ArrayLike<number>): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (!isFloating(t.dtype)) return (v) => String(v);
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  const special = (v: number): string | null =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null;
  const nonzero = finite.map(Math.abs).filter((v) => v !== 0);
  const maxAbs = nonzero.length ? Math.max(...nonzero) : 0;
  const minAbs = nonzero.length ? Math.min(...nonzero) : 0;
  const intMode = finite.every((v) => Number.isInteger(v));
  const ratio = nonzero.length > 0 ? maxAbs / minAbs : 0;
  const useSci = intMode
    ? ratio > 1000 || maxAbs > 1e8
    : nonzero.length > 0 && (ratio > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
  return (v) => {
    const s = special(v);
    if (s) return s;
    if (useSci) return sci(v);
    if (intMode) return `${v.toFixed(0)}.`;
    return v.toFixed(PRECISION);
  };
}

/** Indices kept along a dim of size n: all, or the first and last EDGE_ITEMS with a gap. */
function keptIndices(n: number, summarize: boolean): (number | null)[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

export function formatTensor(t: Tensor): string {
  // GPU values cannot be read synchronously: say what the tensor is and how to see its values.
  if (t.device !== 'cpu')
    return `tensor(<${t.numel()} values on ${t.device}: await t.tolistAsync() to read>, size=[${t.shape.join(', ')}], dtype=${t.dtype}, device='${t.device}')`;
  const values = t.dataSync();
  const summarize = values.length > THRESHOLD;
  const shown: number[] = [];
  const collect = (dim: number, offset: number, stride: number[]): void => {
    if (dim === t.ndim) return void shown.push(values[offset]!);
    for (const i of keptIndices(t.shape[dim]!, summarize))
      if (i !== null) collect(dim + 1, offset + i * stride[dim]!, stride);
  };
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  collect(0, 0, strides);
  const fmt = makeFormatter(t, shown);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const indent = 'tensor('.length;

  const render = (dim: number, offset: number, depth: number): string => {
    if (dim === t.ndim) return fmt(values[offset]!).padStart(width);
    const kept = keptIndices(t.shape[dim]!, summarize);
    if (dim === t.ndim - 1) {
      const items = kept.map((i) =>
        i === null ? ' ...' : fmt(values[offset + i * strides[dim]!]!).padStart(width),
      );
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent - depth) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + depth + 1)}`)}]`;
    }
    const gap = '\n'.repeat(t.ndim - dim - 2);
    const parts = kept.map((i) =>
      i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, depth + 1),
    );
    return `[${parts.join(`,${gap}\n${' '.repeat(indent + depth + 1)}`)}]`;
  };

  let body: string;
  const suffixes: string[] = [];
  if (values.length === 0) {
    body = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  } else body = render(0, 0, 0);
  if (t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  // As PyTorch: the default dtypes (float32, int64, bool) go unsaid.
  if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool')
    suffixes.push(`dtype=torch.${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return `tensor(${[body, ...suffixes].join(', ')})`;
}
