// The gradient norm of every parameter after the latest step, on a log scale, with the ranges
// where gradients vanish or explode marked.
import { useEffect, useRef } from 'react';
import { useRun } from '../state/run-store.ts';
import { EXPLODING, gradColor, VANISHING } from './canvas/flow-model.ts';

const WIDTH = 300;
const ROW = 16;

export function GradNormChart() {
  const stats = useRun((s) => s.stats);
  const canvas = useRef<HTMLCanvasElement>(null);
  const params = stats?.params ?? [];
  const height = Math.max(40, params.length * ROW + 8);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, WIDTH, height);
    const x = (norm: number) => 120 + ((Math.log10(Math.max(norm, 1e-9)) + 9) / 13) * (WIDTH - 130);
    ctx.fillStyle = 'rgba(128,128,128,0.12)';
    ctx.fillRect(120, 0, x(VANISHING) - 120, height);
    ctx.fillRect(x(EXPLODING), 0, WIDTH - x(EXPLODING), height);
    ctx.font = '11px system-ui';
    params.forEach((p, i) => {
      ctx.fillStyle = getComputedStyle(canvas.current!).color;
      ctx.fillText(p.name.length > 18 ? `…${p.name.slice(-17)}` : p.name, 2, i * ROW + 13);
      ctx.fillStyle = gradColor(p.gradNorm);
      ctx.fillRect(120, i * ROW + 4, Math.max(1, x(p.gradNorm) - 120), ROW - 6);
    });
  }, [params, height]);
  return (
    <figure className="chart" data-testid="grad-norm-chart">
      <figcaption>gradient norm per parameter (log scale)</figcaption>
      {params.length ? (
        <canvas ref={canvas} width={WIDTH} height={height} />
      ) : (
        <p className="muted">Train a step to see gradients.</p>
      )}
    </figure>
  );
}
