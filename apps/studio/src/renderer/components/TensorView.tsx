// A tensor as the studio shows it: numbers when it is small, otherwise a heatmap (diverging
// colours around zero) and a histogram, with the summary statistics underneath.
import { useEffect, useRef } from 'react';
import type { TensorInspection } from '@hgrad/protocol';

const fmtNumber = (v: number) =>
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

export function Heatmap({ inspection, size = 160 }: { inspection: TensorInspection; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { rows, cols, values } = inspection.heatmap;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const scale = Math.max(...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
    const [w, h] = [size / cols, Math.min(size / rows, (size / cols) * 4)];
    ctx.clearRect(0, 0, size, size);
    values.forEach((v, k) => {
      ctx.fillStyle = Number.isFinite(v) ? divergingColor(v, scale) : '#f0f';
      ctx.fillRect((k % cols) * w, Math.floor(k / cols) * h, Math.ceil(w), Math.ceil(h));
    });
  }, [rows, cols, values, size]);
  return (
    <canvas ref={canvas} className="heatmap" width={size} height={Math.min(size, (size / cols) * 4 * rows)} />
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
  const small = inspection.values && inspection.values.length <= 64;
  return (
    <figure className="tensor-view" data-testid={testId}>
      <figcaption>
        {title}{' '}
        <span className="muted">
          [{inspection.shape.join(', ')}] {inspection.dtype}
        </span>
      </figcaption>
      {small ? (
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
        <div className="tensor-view__plots">
          <Heatmap inspection={inspection} />
          <Histogram inspection={inspection} />
        </div>
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
