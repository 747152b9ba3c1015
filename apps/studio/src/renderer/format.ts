// Numbers as the studio shows them: ordinary ones with a fixed number of decimals, huge or tiny
// ones in exponent notation with three significant digits, so a diverging run's 3.99e+33 never
// spills across a label.
export function formatNumber(v: number | null | undefined, decimals = 4): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 10 ** -decimals)) return v.toExponential(2);
  return v.toFixed(decimals);
}
