// The live prediction of "Try it": one request per change of the input (the latest wins), and the
// probability of every class, named.
import { useEffect, useState } from 'react';
import type { RuntimeResult } from '@hgrad/protocol';
import { engineCommands } from '../../state/engine-controller.ts';
import { useRun } from '../../state/run-store.ts';
import { formatNumber } from '../../format.ts';

export type Prediction = Extract<RuntimeResult, { type: 'prediction' }>;

export function Probabilities({ prediction }: { prediction: Prediction | null }) {
  if (!prediction) return <p className="muted">…</p>;
  if (!prediction.probabilities)
    return (
      <p className="tryit__value" data-testid="tryit-value">
        prediction: <b>{prediction.output.map((v) => formatNumber(v)).join(', ')}</b>
      </p>
    );
  const p = prediction.probabilities;
  const best = p.indexOf(Math.max(...p));
  const name = (i: number) => prediction.labels?.[i] ?? String(i);
  return (
    <div className="tryit__probs" data-testid="tryit-probabilities">
      <p>
        prediction: <b data-testid="tryit-best">{name(best)}</b> ({(p[best]! * 100).toFixed(1)}%)
      </p>
      <ol>
        {p.map((v, i) => (
          <li key={i} className={i === best ? 'tryit__best' : ''}>
            <span className="tryit__name">{name(i)}</span>
            <span className="tryit__bar" style={{ width: `${Math.max(1, v * 160)}px` }} />
            <span>{(v * 100).toFixed(1)}%</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Asks for a prediction whenever `values` change (the latest wins), while a graph is loaded. */
export function usePrediction(values: number[] | null): Prediction | null {
  const loadedKey = useRun((s) => s.loadedKey);
  const step = useRun((s) => s.step);
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  useEffect(() => {
    if (!values || loadedKey === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void engineCommands.predict(values).then((r) => !cancelled && setPrediction(r));
    }, 60);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [values, loadedKey, Math.floor(step / 50)]);
  return prediction;
}
