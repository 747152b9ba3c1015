// For 2-D classification data: the class the model predicts over the plane (lighter where it is
// unsure) with the training points on top, refreshed after every epoch.
import { useEffect, useRef } from 'react';
import { useEngine } from '../state/engine-store.ts';

const SIZE = 200;
const COLORS = [
  [59, 108, 246],
  [224, 135, 31],
  [47, 163, 107],
  [200, 60, 160],
  [120, 120, 120],
];

export function DecisionBoundaryView() {
  const boundary = useEngine((s) => s.boundary);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !boundary) return;
    const { resolution: r, classes, confidence, points } = boundary;
    const cell = SIZE / r;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        const [cr, cg, cb] = COLORS[classes[i * r + j]! % COLORS.length]!;
        const strength = 0.15 + 0.45 * Math.max(0, (confidence[i * r + j]! - 0.34) / 0.66);
        ctx.fillStyle = `rgba(${cr},${cg},${cb},${strength})`;
        ctx.fillRect(j * cell, i * cell, Math.ceil(cell), Math.ceil(cell));
      }
    for (const p of points) {
      const [cr, cg, cb] = COLORS[p.label % COLORS.length]!;
      const px = ((p.x - boundary.xMin) / (boundary.xMax - boundary.xMin)) * SIZE;
      const py = ((boundary.yMax - p.y) / (boundary.yMax - boundary.yMin)) * SIZE;
      ctx.beginPath();
      ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
      ctx.fill();
      ctx.strokeStyle = 'white';
      ctx.lineWidth = 0.8;
      ctx.stroke();
    }
  }, [boundary]);
  if (!boundary) return null;
  return (
    <figure className="chart" data-testid="decision-boundary">
      <figcaption>decision boundary (training points)</figcaption>
      <canvas ref={canvas} width={SIZE} height={SIZE} />
    </figure>
  );
}
