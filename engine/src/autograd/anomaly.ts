// Anomaly detection: in detectAnomaly mode, every forward output and every gradient is
// scanned for NaN/Inf, and the error names the op (and where its forward was called).
import { isFloating } from '../dtype.ts';
import type { Node, Tensor } from '../tensor.ts';

function nonFinite(t: Tensor): string | null {
  if (!isFloating(t.dtype) || t.device !== 'cpu') return null;
  const values = t.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) return 'nan';
    if (v === Infinity || v === -Infinity) return 'inf';
  }
  return null;
}

export function checkFiniteForward(op: string, out: Tensor): void {
  const bad = nonFinite(out);
  if (bad) throw new Error(`Anomaly detected: forward op '${op}' produced ${bad} values in its output`);
}

export function checkFiniteBackward(node: Node, grads: readonly (Tensor | null)[]): void {
  grads.forEach((g, i) => {
    const bad = g ? nonFinite(g) : null;
    if (!bad) return;
    const where = node.forwardTrace ? `\nThe forward op was called at:\n${node.forwardTrace}` : '';
    throw new Error(
      `Anomaly detected: function '${node.name}' returned ${bad} values in its ${i}th output${where}`,
    );
  });
}
