// Edges that go around nodes. An edge whose plain curve would pass under another node (the
// labels edge from the Dataset to the loss, skipping the layers between) takes an orthogonal
// route instead: out of its port, along a lane clear of every node, and into its target port.
// Pure geometry, in flow coordinates; the layout direction only swaps x and y.

export interface Point {
  x: number;
  y: number;
}
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export type Direction = 'LR' | 'TB';

/** Clearance kept around nodes, and the straight run out of a port before the first bend. */
const MARGIN = 12;
const STUB = 20;

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const swap = (p: Point): Point => ({ x: p.y, y: p.x });

/**
 * The bends of a route from `s` (an output port, facing right in LR, down in TB) to `t` (an input
 * port) around `boxes`, or null when React Flow's own curve between them is already clear.
 */
export function routeAround(s: Point, t: Point, boxes: readonly Box[], direction: Direction): Point[] | null {
  if (direction === 'TB') {
    const route = routeLR(
      swap(s),
      swap(t),
      boxes.map((b) => ({ x: b.y, y: b.x, width: b.height, height: b.width })),
    );
    return route && route.map(swap);
  }
  return routeLR(s, t, boxes);
}

function routeLR(s: Point, t: Point, boxes: readonly Box[]): Point[] | null {
  const rects = boxes.map((b) => ({
    x1: b.x - MARGIN,
    y1: b.y - MARGIN,
    x2: b.x + b.width + MARGIN,
    y2: b.y + b.height + MARGIN,
  }));
  if (!curveHits(s, t, rects)) return null;
  const x1 = s.x + STUB;
  const x2 = t.x - STUB;
  const lanes = new Set([s.y, t.y, ...rects.flatMap((r) => [r.y1, r.y2])]);
  let best: { points: Point[]; cost: number } | null = null;
  for (const lane of lanes) {
    const points = [s, { x: x1, y: s.y }, { x: x1, y: lane }, { x: x2, y: lane }, { x: x2, y: t.y }, t];
    // The stubs out of and into the ports are not checked: they start on their own node's edge.
    const middle = points.slice(1, -1);
    if (middle.some((p, i) => i > 0 && segmentHits(middle[i - 1]!, p, rects))) continue;
    const cost = Math.abs(lane - s.y) + Math.abs(lane - t.y);
    if (!best || cost < best.cost) best = { points, cost };
  }
  return best ? dedupe(best.points) : null;
}

/** Whether React Flow's default bezier from s to t passes through a rectangle (sampled). */
function curveHits(s: Point, t: Point, rects: readonly Rect[]): boolean {
  // React Flow's control points for Right → Left handles: half the horizontal distance out of
  // each port (at least a short distance when the target lies behind the source).
  const d = t.x >= s.x ? 0.5 * (t.x - s.x) : 0.25 * 25 * Math.sqrt(s.x - t.x);
  const c1 = { x: s.x + d, y: s.y };
  const c2 = { x: t.x - d, y: t.y };
  for (let i = 1; i < 40; i++) {
    const u = i / 40;
    const a = (1 - u) ** 3;
    const b = 3 * (1 - u) ** 2 * u;
    const c = 3 * (1 - u) * u ** 2;
    const e = u ** 3;
    const x = a * s.x + b * c1.x + c * c2.x + e * t.x;
    const y = a * s.y + b * c1.y + c * c2.y + e * t.y;
    // The margin is not part of a hit here: a curve that only grazes a node stays a curve.
    if (rects.some((r) => x > r.x1 + MARGIN && x < r.x2 - MARGIN && y > r.y1 + MARGIN && y < r.y2 - MARGIN))
      return true;
  }
  return false;
}

/** Whether an axis-parallel segment passes through the inside of a rectangle. */
function segmentHits(a: Point, b: Point, rects: readonly Rect[]): boolean {
  const [lx, hx] = a.x < b.x ? [a.x, b.x] : [b.x, a.x];
  const [ly, hy] = a.y < b.y ? [a.y, b.y] : [b.y, a.y];
  return rects.some((r) => hx > r.x1 && lx < r.x2 && hy > r.y1 && ly < r.y2);
}

function dedupe(points: Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y);
}

/** An SVG path through the points with rounded corners. */
export function roundedPath(points: readonly Point[], radius = 8): string {
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [p, c, n] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(radius, dist(p, c) / 2, dist(c, n) / 2);
    const a = toward(c, p, r);
    const b = toward(c, n, r);
    d += ` L ${a.x} ${a.y} Q ${c.x} ${c.y} ${b.x} ${b.y}`;
  }
  const last = points.at(-1)!;
  return `${d} L ${last.x} ${last.y}`;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
function toward(from: Point, to: Point, r: number): Point {
  const d = dist(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / d) * r, y: from.y + ((to.y - from.y) / d) * r };
}

/** Where the label goes: the middle of the route's longest segment. */
export function labelPoint(points: readonly Point[]): Point {
  let best = { x: points[0]!.x, y: points[0]!.y };
  let longest = -1;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (dist(a, b) > longest) {
      longest = dist(a, b);
      best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
  }
  return best;
}
