// For 2-D classification data: the class the model predicts over the plane (lighter where it is
// unsure) with the training points on top, refreshed after every epoch.
import { useEffect, useRef } from 'react';
import { useRun } from '../state/run-store.ts';

const SIZE = 200;
const COLORS: [number, number, number][] = [
  [59, 108, 246],
  [224, 135, 31],
  [47, 163, 107],
  [200, 60, 160],
  [120, 120, 120],
];

export function DecisionBoundaryView() {
  const boundary = useRun((s) => s.boundary);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !boundary) return;
    const { resolution: r, classes, confidence, points } = boundary;
    // One pixel per grid cell, scaled up without smoothing (no seams between cells).
    const image = new ImageData(r, r);
    for (let k = 0; k < r * r; k++) {
      const [cr, cg, cb] = COLORS[classes[k]! % COLORS.length]!;
      const strength = 0.1 + 0.35 * Math.max(0, (confidence[k]! - 0.34) / 0.66);
      image.data.set([cr, cg, cb, Math.round(255 * strength)], 4 * k);
    }
    const grid = document.createElement('canvas');
    grid.width = grid.height = r;
    grid.getContext('2d')!.putImageData(image, 0, 0);
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(grid, 0, 0, SIZE, SIZE);
    for (const p of points) {
      const [cr, cg, cb] = COLORS[p.label % COLORS.length]!;
      const px = ((p.x - boundary.xMin) / (boundary.xMax - boundary.xMin)) * SIZE;
      const py = ((boundary.yMax - p.y) / (boundary.yMax - boundary.yMin)) * SIZE;
      ctx.beginPath();
      ctx.arc(px, py, 3, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
      ctx.fill();
      ctx.strokeStyle = 'rgba(0,0,0,0.55)';
      ctx.lineWidth = 0.7;
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
