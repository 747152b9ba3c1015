// Edge routing: a clear curve stays a curve; an edge that would pass under a node goes around
// it, every segment clear of every node, in both layout directions.
import { describe, expect, it } from 'vitest';
import { labelPoint, roundedPath, routeAround, type Box, type Point } from './edge-route.ts';

/** Whether any point of the polyline (sampled every pixel) lies inside a box. */
function crosses(points: Point[], boxes: Box[]): boolean {
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const n = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y));
    for (let k = 0; k <= n; k++) {
      const x = a.x + ((b.x - a.x) * k) / Math.max(1, n);
      const y = a.y + ((b.y - a.y) * k) / Math.max(1, n);
      if (boxes.some((r) => x > r.x && x < r.x + r.width && y > r.y && y < r.y + r.height)) return true;
    }
  }
  return false;
}

// The default graph: Dataset → fc1 → act1 → fc2 → loss in a row, and the labels edge from the
// Dataset's y port straight to the loss, at the height of the layers between.
const dataset = { x: 0, y: 0, width: 120, height: 70 };
const layers = [
  { x: 220, y: -40, width: 130, height: 60 },
  { x: 440, y: -40, width: 130, height: 60 },
  { x: 660, y: -40, width: 130, height: 60 },
];
const loss = { x: 880, y: -20, width: 120, height: 70 };

describe('edge routing', () => {
  it('keeps the plain curve where nothing is in the way', () => {
    expect(routeAround({ x: 120, y: 10 }, { x: 220, y: -10 }, [dataset, ...layers, loss], 'LR')).toBeNull();
  });

  it('takes the labels edge around the layers it would pass under', () => {
    const s = { x: 120, y: 10 };
    const t = { x: 880, y: 30 };
    const route = routeAround(s, t, [dataset, ...layers, loss], 'LR')!;
    expect(route).not.toBeNull();
    expect(route[0]).toEqual(s);
    expect(route.at(-1)).toEqual(t);
    expect(crosses(route.slice(1, -1), layers)).toBe(false);
    // The cheapest clear lane: just below the layers (their bottom at y = 20, plus the margin).
    expect(Math.max(...route.map((p) => p.y))).toBe(32);
    // Segments are horizontal or vertical.
    for (let i = 1; i < route.length; i++)
      expect(route[i]!.x === route[i - 1]!.x || route[i]!.y === route[i - 1]!.y).toBe(true);
    const label = labelPoint(route);
    expect(label.y).toBe(32);
    expect(roundedPath(route)).toMatch(/^M 120 10 L .* Q .* L 880 30$/);
  });

  it('routes top to bottom the same way, turned', () => {
    const turn = (b: Box): Box => ({ x: b.y, y: b.x, width: b.height, height: b.width });
    const boxes = [dataset, ...layers, loss].map(turn);
    const route = routeAround({ x: 10, y: 120 }, { x: 30, y: 880 }, boxes, 'TB')!;
    expect(route).not.toBeNull();
    expect(crosses(route.slice(1, -1), layers.map(turn))).toBe(false);
    expect(Math.max(...route.map((p) => p.x))).toBe(32);
  });

  it('goes around the end of a tall obstacle, however far', () => {
    const wall = { x: 300, y: -1000, width: 50, height: 2000 };
    const route = routeAround({ x: 120, y: 10 }, { x: 880, y: 30 }, [wall], 'LR')!;
    expect(crosses(route.slice(1, -1), [wall])).toBe(false);
    expect(Math.max(...route.map((p) => p.y))).toBe(1012);
  });
});
