// Tensor inspection for the UI: a summary (shape, dtype, min, max, mean, std, NaN/Inf counts),
// a histogram over the finite values, and a heatmap downsampled to at most 64×64 cells (rows
// are the first dim, columns everything after it), plus the full values when asked or
// when the tensor is small.
import type { Tensor } from '@hgrad/engine';
import type { GraphModel, Outputs } from '@hgrad/train';
import type { InspectTarget, TensorInspection } from '@hgrad/protocol';

const BINS = 32;
const HEATMAP = 64;

const MAPS = 32;
const MAP_SIDE = 64;

/** The first sample's channels of an activation [N, C, H, W] (H, W ≤ 64; the first 32 channels). */
function featureMaps(t: Tensor, values: ArrayLike<number>): TensorInspection['featureMaps'] {
  const [, c, h, w] = t.shape as [number, number, number, number];
  if (t.ndim !== 4 || h > MAP_SIDE || w > MAP_SIDE || h * w < 4) return undefined;
  const channels = Math.min(c, MAPS);
  return { channels, total: c, h, w, values: Array.from({ length: channels * h * w }, (_, i) => values[i]!) };
}

/** The first sample of a sequence activation [N, T, F] as time × feature (the first 64 of each). */
function sequence(t: Tensor, values: ArrayLike<number>): TensorInspection['sequence'] {
  if (t.ndim !== 3) return undefined;
  const [, T, F] = t.shape as [number, number, number];
  const [rows, cols] = [Math.min(T, 64), Math.min(F, 64)];
  const out: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.push(values[i * F + j]!);
  return { t: rows, f: cols, totalT: T, totalF: F, values: out };
}

/** Tensors this small always carry their values: the studio shows them as numbers. */
const SMALL = 1024;

/** `maps`: an activation whose channels should also be shown as images (node outputs). */
export function inspectTensor(t: Tensor, full = false, maps = false): TensorInspection {
  const values = t.contiguous().dataSync();
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nan = 0;
  let inf = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) inf++;
    else {
      finite++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const mean = finite ? sum / finite : NaN;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) sq += (v - mean) * (v - mean);
  }
  const counts = new Array<number>(BINS).fill(0);
  const width = max > min ? (max - min) / BINS : 1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(BINS - 1, Math.floor((v - min) / width))]!++;
  }
  const rows = t.ndim === 0 ? 1 : t.shape[0]!;
  const cols = rows === 0 ? 0 : n / rows;
  const hr = Math.min(rows, HEATMAP);
  const hc = Math.min(cols, HEATMAP);
  const cells = new Float64Array(hr * hc);
  const hits = new Float64Array(hr * hc);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      if (!Number.isFinite(v)) continue;
      const cell = Math.floor((r * hr) / rows) * hc + Math.floor((c * hc) / cols);
      cells[cell]! += v;
      hits[cell]!++;
    }
  for (let i = 0; i < cells.length; i++) cells[i] = hits[i] ? cells[i]! / hits[i]! : NaN;
  return {
    shape: [...t.shape],
    dtype: t.dtype,
    summary: {
      min: finite ? min : NaN,
      max: finite ? max : NaN,
      mean,
      std: finite > 1 ? Math.sqrt(sq / (finite - 1)) : 0,
      nan,
      inf,
      count: n,
    },
    histogram: { min: finite ? min : NaN, max: finite ? max : NaN, counts },
    heatmap: { rows: hr, cols: hc, values: Array.from(cells) },
    ...(full || n <= SMALL ? { values: Array.from(values) } : {}),
    ...(maps && featureMaps(t, values) ? { featureMaps: featureMaps(t, values)! } : {}),
    ...(maps && sequence(t, values) ? { sequence: sequence(t, values)! } : {}),
  };
}

/** The tensor an inspect request names: a node output of the latest step, a parameter or its gradient. */
export function findInspected(
  model: GraphModel,
  values: ReadonlyMap<string, Outputs>,
  t: Exclude<InspectTarget, { kind: 'debug' }>,
): Tensor {
  if (t.kind === 'output') {
    const outputs = values.get(t.nodeId);
    if (!outputs)
      throw Object.assign(
        new Error(`inspect: node ${t.nodeId} has no values yet: take a training step first`),
        {
          nodeId: t.nodeId,
        },
      );
    const tensor = outputs[t.port];
    if (!tensor)
      throw Object.assign(new Error(`inspect: node ${t.nodeId} has no output '${t.port}'`), {
        nodeId: t.nodeId,
      });
    return tensor;
  }
  const param = new Map(model.namedParameters()).get(t.name);
  if (!param) throw new Error(`inspect: no parameter named '${t.name}'`);
  const tensor = t.kind === 'parameter' ? param : param.grad;
  if (!tensor)
    throw new Error(`inspect: parameter '${t.name}' has no gradient yet: take a training step first`);
  return tensor;
}
