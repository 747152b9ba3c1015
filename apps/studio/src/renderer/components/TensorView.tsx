// A tensor as the studio shows it: numbers when it is small, otherwise a heatmap (diverging
// colours around zero, with its colour scale, and the value under the pointer) and a
// histogram, with the summary statistics underneath.
import { useEffect, useRef, useState } from 'react';
import type { TensorInspection } from '@hgrad/protocol';

export const fmtNumber = (v: number) =>
  Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
      ? v.toFixed(4)
      : v.toExponential(2);

function divergingColor(v: number, scale: number): string {
  const t = Math.max(-1, Math.min(1, scale > 0 ? v / scale : 0));
  const c = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? `rgb(255,${c},${c})` : `rgb(${c},${c},255)`;
}

export function Heatmap({
  inspection,
  size: base = 160,
  testId,
}: {
  inspection: TensorInspection;
  size?: number;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { rows, cols, values } = inspection.heatmap;
  const [hover, setHover] = useState<string | null>(null);
  // A click pins the value under the pointer (another click releases it); the zoom button doubles
  // the cells' size so that a large tensor can be read cell by cell (the panel scrolls).
  const [pinned, setPinned] = useState<string | null>(null);
  const [zoom, setZoom] = useState(1);
  const size = base * zoom;
  const scale = Math.max(0, ...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  const [w, h] = [size / cols, Math.min(size / rows, (size / cols) * 4)];
  const height = Math.min(size, (size / cols) * 4 * rows);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, size, size);
    values.forEach((v, k) => {
      ctx.fillStyle = Number.isFinite(v) ? divergingColor(v, scale) : '#f0f';
      ctx.fillRect((k % cols) * w, Math.floor(k / cols) * h, Math.ceil(w), Math.ceil(h));
    });
  }, [rows, cols, values, size, scale, w, h]);
  // Whether a cell is one value or the mean of a block (large tensors are downsampled to ≤ 64×64).
  const first = inspection.shape[0] ?? 1;
  const rest = inspection.shape.slice(1).reduce((a, b) => a * b, 1);
  const exact = rows === first && cols === rest;
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const c = Math.floor((((e.clientX - box.left) / box.width) * size) / w);
    const r = Math.floor((((e.clientY - box.top) / box.height) * height) / h);
    const v = values[r * cols + c];
    if (r < 0 || c < 0 || r >= rows || c >= cols || v === undefined) return setHover(null);
    setHover(exact ? `[${r}, ${c}] = ${fmtNumber(v)}` : `cell (${r}, ${c}) mean = ${fmtNumber(v)}`);
  };
  return (
    <div className="heatmap__wrap">
      <div className={zoom > 1 ? 'heatmap__zoomed' : undefined}>
        <canvas
          ref={canvas}
          className="heatmap"
          width={size}
          height={height}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          onClick={() => setPinned((p) => (p ? null : hover))}
          data-testid={testId ? `${testId}-heatmap` : undefined}
        />
      </div>
      <button
        className="heatmap__zoom"
        onClick={() => setZoom((z) => (z >= 4 ? 1 : z * 2))}
        title="Zoom the cells (the view scrolls); a click on a cell pins its value"
        data-testid={testId ? `${testId}-zoom` : undefined}
      >
        {zoom >= 4 ? '1×' : `${zoom * 2}×`}
      </button>
      <div className="heatmap__scale" title="Colour scale: blue negative, white zero, red positive">
        <span>{fmtNumber(-scale)}</span>
        <i />
        <span>{fmtNumber(scale)}</span>
      </div>
      {pinned && (
        <div className="heatmap__pinned" data-testid={testId ? `${testId}-pinned` : undefined}>
          📌 {pinned}
        </div>
      )}
      <div className="heatmap__hover muted" data-testid={testId ? `${testId}-hover` : undefined}>
        {hover ??
          (exact ? 'point at a cell to read its value' : `${rows}×${cols} cells, each the mean of a block`)}
      </div>
    </div>
  );
}

/**
 * A 4-D tensor [out, in, kH, kW] whose values are at hand (a conv weight or its gradient): one
 * small image per output channel — the filters as people know them — each the kernel of the
 * first input channel, on the tensor's common colour scale.
 */
export function Filters({ inspection, testId }: { inspection: TensorInspection; testId?: string }) {
  const [out, inC, kh, kw] = inspection.shape as [number, number, number, number];
  const values = inspection.values!;
  const scale = Math.max(0, ...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  const cell = Math.max(4, Math.floor(36 / Math.max(kh, kw)));
  return (
    <div className="filters" data-testid={testId ? `${testId}-filters` : undefined}>
      {Array.from({ length: out }, (_, o) => (
        <FilterImage
          key={o}
          values={values.slice(o * inC * kh * kw, o * inC * kh * kw + kh * kw)}
          kh={kh}
          kw={kw}
          cell={cell}
          scale={scale}
          title={`filter ${o}${inC > 1 ? ` (input channel 0 of ${inC})` : ''}`}
        />
      ))}
      <div className="heatmap__scale" title="Colour scale: blue negative, white zero, red positive">
        <span>{fmtNumber(-scale)}</span>
        <i />
        <span>{fmtNumber(scale)}</span>
      </div>
    </div>
  );
}

/**
 * An activation's channels for the first sample, one image each on a common colour scale: where
 * each channel of a conv layer responds in the picture.
 */
export function FeatureMaps({
  maps,
  testId,
}: {
  maps: NonNullable<TensorInspection['featureMaps']>;
  testId?: string;
}) {
  const { channels, total, h, w, values } = maps;
  const scale = Math.max(0, ...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  const cell = Math.max(1, Math.floor(48 / Math.max(h, w)));
  return (
    <div className="filters" data-testid={testId ? `${testId}-maps` : undefined}>
      <span className="muted feature-maps__caption">
        sample 0, channel{channels > 1 ? 's' : ''} 0–{channels - 1}
        {total > channels ? ` of ${total}` : ''}
      </span>
      {Array.from({ length: channels }, (_, c) => (
        <FilterImage
          key={c}
          values={values.slice(c * h * w, (c + 1) * h * w)}
          kh={h}
          kw={w}
          cell={cell}
          scale={scale}
          title={`channel ${c}`}
        />
      ))}
    </div>
  );
}

function FilterImage({
  values,
  kh,
  kw,
  cell,
  scale,
  title,
}: {
  values: number[];
  kh: number;
  kw: number;
  cell: number;
  scale: number;
  title: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    values.forEach((v, k) => {
      ctx.fillStyle = Number.isFinite(v) ? divergingColor(v, scale) : '#f0f';
      ctx.fillRect((k % kw) * cell, Math.floor(k / kw) * cell, cell, cell);
    });
  }, [values, kw, cell, scale]);
  return (
    <canvas
      ref={canvas}
      className="filters__one"
      width={kw * cell}
      height={kh * cell}
      title={values.length <= 121 ? `${title}: ${values.map(fmtNumber).join(' ')}` : title}
    />
  );
}

/** A sequence activation's first sample as a time × feature heatmap (rows are time steps). */
function SequenceView({ inspection, testId }: { inspection: TensorInspection; testId?: string }) {
  const s = inspection.sequence!;
  const view: TensorInspection = {
    ...inspection,
    shape: [s.t, s.f],
    heatmap: { rows: s.t, cols: s.f, values: s.values },
  };
  return (
    <div className="sequence-view" data-testid={testId ? `${testId}-sequence` : undefined}>
      <span className="muted feature-maps__caption">
        sample 0 · time × feature ({s.t < s.totalT ? `first ${s.t} of ${s.totalT}` : s.t} steps,{' '}
        {s.f < s.totalF ? `first ${s.f} of ${s.totalF}` : s.f} features)
      </span>
      <Heatmap inspection={view} {...(testId ? { testId: `${testId}-sequence` } : {})} />
    </div>
  );
}

export function Histogram({
  inspection,
  width = 160,
  height = 48,
}: {
  inspection: TensorInspection;
  width?: number;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { counts } = inspection.histogram;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const peak = Math.max(1, ...counts);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = getComputedStyle(canvas.current!).color || '#3b6cf6';
    const w = width / counts.length;
    counts.forEach((c, i) =>
      ctx.fillRect(i * w, height - (c / peak) * height, Math.max(1, w - 1), (c / peak) * height),
    );
  }, [counts, width, height]);
  return <canvas ref={canvas} className="histogram" width={width} height={height} />;
}

export function TensorView({
  title,
  inspection,
  testId,
}: {
  title: string;
  inspection: TensorInspection;
  testId?: string;
}) {
  const s = inspection.summary;
  // Conv weights as filters; numbers while they fit as a table (an [8, 10] gradient reads better
  // as numbers); else plots.
  const filters = !!inspection.values && inspection.shape.length === 4 && inspection.shape[2]! <= 11;
  const small =
    !filters && inspection.values && inspection.values.length <= 160 && (inspection.shape.at(-1) ?? 1) <= 16;
  return (
    <figure className="tensor-view" data-testid={testId}>
      <figcaption>
        {title}{' '}
        <span className="muted">
          [{inspection.shape.join(', ')}] {inspection.dtype}
        </span>
      </figcaption>
      {filters ? (
        <Filters inspection={inspection} {...(testId ? { testId } : {})} />
      ) : small ? (
        <table className="tensor-view__values" data-testid={testId ? `${testId}-values` : undefined}>
          <tbody>
            {chunk(
              inspection.values!,
              inspection.shape.length >= 2
                ? inspection.shape.at(-1)!
                : Math.min(8, inspection.values!.length),
            ).map((row, i) => (
              <tr key={i}>
                {row.map((v, j) => (
                  <td key={j} data-value={v}>
                    {fmtNumber(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <>
          {inspection.sequence && <SequenceView inspection={inspection} {...(testId ? { testId } : {})} />}
          {inspection.featureMaps && (
            <FeatureMaps maps={inspection.featureMaps} {...(testId ? { testId } : {})} />
          )}
          <div className="tensor-view__plots">
            <Heatmap inspection={inspection} {...(testId ? { testId } : {})} />
            <Histogram inspection={inspection} />
          </div>
        </>
      )}
      <div className="tensor-view__summary muted">
        min {fmtNumber(s.min)} · max {fmtNumber(s.max)} · mean {fmtNumber(s.mean)} · std {fmtNumber(s.std)}
        {(s.nan > 0 || s.inf > 0) && (
          <strong className="danger">
            {' '}
            · {s.nan} NaN, {s.inf} Inf
          </strong>
        )}
      </div>
    </figure>
  );
}

function chunk(values: number[], size: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += size) rows.push(values.slice(i, i + size));
  return rows;
}
