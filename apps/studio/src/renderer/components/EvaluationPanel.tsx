// What the trained model predicts, on the validation split or the dataset's own test split (always
// named, never confused): loss and accuracy, the confusion matrix (counts or row-normalised; a
// click on a cell shows its samples), per-class precision and recall, the misclassified samples
// with their top-3 probabilities, and for regression predicted-vs-true and residual plots.
import { useEffect, useMemo, useState } from 'react';
import type { RuntimeResult } from '@hgrad/protocol';
import { engineCommands } from '../state/engine-controller.ts';
import { useRun } from '../state/run-store.ts';
import { formatNumber } from '../format.ts';
import { Thumbnail } from './Thumbnail.tsx';

type Result = Extract<RuntimeResult, { type: 'report' }>;
type Report = NonNullable<Result['report']>;
type Listed = NonNullable<Report['misclassified']>[number];
type Split = 'validation' | 'test';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const SPLIT_NAME: Record<Report['split'], string> = {
  train: 'Training split',
  validation: 'Validation split',
  test: 'Test split',
};

/** Fetches the report when the tab opens, the split changes, or training moves on (≤ every 2 s). */
function useReport(split: Split): { result: Result | null; busy: boolean; refresh: () => void } {
  const loadedKey = useRun((s) => s.loadedKey);
  const epoch = useRun((s) => s.epoch);
  const step = useRun((s) => s.step);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [nonce, setNonce] = useState(0);
  // Steps change many times a second while training: bucket them so that the report follows.
  const bucket = Math.floor(step / 200);
  useEffect(() => {
    if (loadedKey === null) return setResult(null);
    let cancelled = false;
    const timer = setTimeout(() => {
      setBusy(true);
      void engineCommands.report(split).then((r) => {
        if (cancelled) return;
        setResult(r);
        setBusy(false);
      });
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [loadedKey, split, epoch, bucket, nonce]);
  return { result, busy, refresh: () => setNonce((n) => n + 1) };
}

function Sample({ result, listed }: { result: Result; listed: Listed }) {
  const name = (c: number) => result.labels?.[c] ?? String(c);
  const shape = result.inputShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const at = result.inputs.indices.indexOf(listed.index);
  const x = at < 0 ? [] : Array.from(result.inputs.values.subarray(at * size, (at + 1) * size));
  let input;
  if (shape.length >= 2 && shape.at(-1)! > 4) {
    const size: [number, number] = [shape.at(-2)!, shape.at(-1)!];
    input = <Thumbnail pixels={x.slice(0, size[0] * size[1])} size={size} />;
  } else input = <code className="evaluation__features">[{x.map((v) => formatNumber(v)).join(', ')}]</code>;
  return (
    <figure className="evaluation__sample" data-testid="evaluation-sample">
      {input}
      <figcaption>
        <div>
          true <b>{name(listed.truth)}</b>
        </div>
        <div className={listed.truth === listed.predicted ? 'evaluation__right' : 'evaluation__wrong'}>
          predicted <b>{name(listed.predicted)}</b>
        </div>
        <ol className="evaluation__top">
          {listed.top.map((t) => (
            <li key={t.label} title={`${name(t.label)}: ${(t.probability * 100).toFixed(2)}%`}>
              <span className="evaluation__bar" style={{ width: `${Math.round(t.probability * 100)}%` }} />
              <span>
                {name(t.label)} {pct(t.probability)}
              </span>
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}

function Confusion({
  report,
  labels,
  selected,
  select,
}: {
  report: Report;
  labels: string[] | undefined;
  selected: [number, number] | null;
  select: (cell: [number, number] | null) => void;
}) {
  const [normalised, setNormalised] = useState(false);
  const matrix = report.confusion!;
  const rowSums = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...matrix.flat());
  const name = (c: number) => labels?.[c] ?? String(c);
  return (
    <div className="evaluation__matrix">
      <div className="evaluation__matrix-head">
        <b>Confusion matrix</b> <span className="muted">rows: true class · columns: predicted</span>
        <label>
          <input
            type="checkbox"
            checked={normalised}
            onChange={(e) => setNormalised(e.target.checked)}
            data-testid="evaluation-normalise"
          />{' '}
          row-normalised
        </label>
      </div>
      <table data-testid="confusion-matrix">
        <thead>
          <tr>
            <th />
            {matrix.map((_, j) => (
              <th key={j} title={`predicted ${name(j)}`}>
                {labels ? name(j).slice(0, 6) : j}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => (
            <tr key={i}>
              <th title={`true ${name(i)}`}>{name(i)}</th>
              {row.map((v, j) => {
                const share = rowSums[i] ? v / rowSums[i]! : 0;
                const heat = normalised ? share : v / max;
                const isSelected = selected?.[0] === i && selected[1] === j;
                return (
                  <td
                    key={j}
                    className={`${i === j ? 'evaluation__diag' : 'evaluation__off'}${isSelected ? ' evaluation__selected' : ''}`}
                    style={{ ['--heat' as string]: heat.toFixed(3) }}
                    title={`true ${name(i)}, predicted ${name(j)}: ${v} of ${rowSums[i]} (${pct(share)})`}
                    onClick={() => select(isSelected ? null : [i, j])}
                    data-testid={`cell-${i}-${j}`}
                  >
                    {normalised ? (share * 100).toFixed(0) : v}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Scatter({ report }: { report: Report }) {
  const { truth, predicted } = report.regression!;
  const lo = Math.min(...truth, ...predicted);
  const hi = Math.max(...truth, ...predicted);
  const residuals = truth.map((t, i) => predicted[i]! - t);
  const rMax = Math.max(1e-9, ...residuals.map(Math.abs));
  const W = 260;
  const sx = (v: number) => 20 + ((v - lo) / (hi - lo || 1)) * (W - 30);
  const sy = (v: number) => W - 20 - ((v - lo) / (hi - lo || 1)) * (W - 30);
  const ry = (v: number) => W / 2 - (v / rMax) * (W / 2 - 20);
  return (
    <div className="evaluation__plots">
      <figure>
        <svg
          width={W}
          height={W}
          data-testid="regression-scatter"
          role="img"
          aria-label="predicted against true"
        >
          <line x1={sx(lo)} y1={sy(lo)} x2={sx(hi)} y2={sy(hi)} className="evaluation__ideal" />
          {truth.map((t, i) => (
            <circle key={i} cx={sx(t)} cy={sy(predicted[i]!)} r={2} className="evaluation__point" />
          ))}
        </svg>
        <figcaption>predicted (up) against true (right); the line is a perfect fit</figcaption>
      </figure>
      <figure>
        <svg width={W} height={W} data-testid="regression-residuals" role="img" aria-label="residuals">
          <line x1={20} y1={W / 2} x2={W - 10} y2={W / 2} className="evaluation__ideal" />
          {truth.map((t, i) => (
            <circle key={i} cx={sx(t)} cy={ry(residuals[i]!)} r={2} className="evaluation__point" />
          ))}
        </svg>
        <figcaption>residual (predicted − true) against true, ±{formatNumber(rMax)}</figcaption>
      </figure>
    </div>
  );
}

function misclassifiedTitle(report: Report, shown: number): string {
  const wrong = report.samples - report.confusion!.reduce((a, r, i) => a + r[i]!, 0);
  const showing = shown < wrong ? ` (showing ${shown})` : '';
  return `Misclassified: ${wrong}${showing} — click a cell of the matrix to see its samples`;
}

export function EvaluationPanel() {
  const [split, setSplit] = useState<Split>('validation');
  const { result, busy, refresh } = useReport(split);
  const [cell, setCell] = useState<[number, number] | null>(null);
  useEffect(() => setCell(null), [split]);
  const report = result?.report ?? null;
  const listed = useMemo(() => {
    if (!report) return [];
    if (!cell) return report.misclassified ?? [];
    const pool = cell[0] === cell[1] ? (report.correct ?? []) : (report.misclassified ?? []);
    return pool.filter((m) => m.truth === cell[0] && m.predicted === cell[1]);
  }, [report, cell]);
  const name = (c: number) => result?.labels?.[c] ?? String(c);
  if (!result && !busy)
    return <p className="evaluation__empty">Load a trainable graph to see what the model predicts.</p>;
  return (
    <div className="evaluation" data-testid="evaluation">
      <div className="evaluation__bar-top">
        <div role="radiogroup" aria-label="Split" className="evaluation__splits">
          {(['validation', 'test'] as const).map((s) => (
            <button
              key={s}
              role="radio"
              aria-checked={split === s}
              className={split === s ? 'active' : ''}
              onClick={() => setSplit(s)}
              data-testid={`split-${s}`}
            >
              {SPLIT_NAME[s]}
            </button>
          ))}
        </div>
        <button onClick={refresh} disabled={busy} title="Evaluate the current weights again">
          {busy ? 'Evaluating…' : 'Refresh'}
        </button>
      </div>
      {result && !report && (
        <p className="evaluation__empty" data-testid="evaluation-reason">
          {SPLIT_NAME[split]}: {result.reason}
        </p>
      )}
      {report && (
        <>
          <p className="evaluation__summary" data-testid="evaluation-summary">
            <b>{SPLIT_NAME[report.split]}</b> · {report.samples.toLocaleString('en')} samples · loss{' '}
            {report.loss === null ? '—' : report.loss.toFixed(4)}
            {report.accuracy !== null &&
              ` · ${report.task === 'sequence' ? 'per-character accuracy' : 'accuracy'} ${pct(report.accuracy)}`}
            {report.regression &&
              ` · mean absolute error ${formatNumber(report.regression.meanAbsoluteError)}`}
            {report.split === 'test' && <span className="muted"> · never trained or validated on</span>}
          </p>
          {report.confusion && (
            <div className="evaluation__grid">
              <Confusion report={report} labels={result?.labels} selected={cell} select={setCell} />
              <table className="evaluation__classes" data-testid="per-class">
                <thead>
                  <tr>
                    <th>class</th>
                    <th title="Of the samples predicted as this class, the share that are">precision</th>
                    <th title="Of the samples of this class, the share predicted as it">recall</th>
                    <th>support</th>
                  </tr>
                </thead>
                <tbody>
                  {report.perClass!.map((c, i) => (
                    <tr key={i}>
                      <td>{name(i)}</td>
                      <td>{pct(c.precision)}</td>
                      <td>{pct(c.recall)}</td>
                      <td>{c.support}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.confusion && (
            <section className="evaluation__gallery">
              <h4 data-testid="gallery-title">
                {cell
                  ? `True ${name(cell[0])}, predicted ${name(cell[1])}: ${report.confusion[cell[0]]![cell[1]]} sample${report.confusion[cell[0]]![cell[1]] === 1 ? '' : 's'}${listed.length < report.confusion[cell[0]]![cell[1]]! ? ` (showing ${listed.length})` : ''}`
                  : misclassifiedTitle(report, Math.min(listed.length, 60))}
              </h4>
              <div className="evaluation__samples">
                {listed.slice(0, 60).map((m) => (
                  <Sample key={`${m.index}`} result={result!} listed={m} />
                ))}
                {listed.length === 0 && <p className="muted">No samples to show here.</p>}
              </div>
            </section>
          )}
          {report.regression && <Scatter report={report} />}
        </>
      )}
    </div>
  );
}
