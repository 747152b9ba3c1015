// "Try it" for models of feature rows: a field per feature (a table's own column names, in its
// units), with the live prediction.
import { useEffect, useState } from 'react';
import { Probabilities, usePrediction } from './prediction.tsx';

export function FeatureTry({ names, first }: { names: string[]; first: number[] | null }) {
  const [values, setValues] = useState<number[] | null>(first);
  useEffect(() => setValues(first), [first]);
  const prediction = usePrediction(values);
  if (!values) return <p className="muted">…</p>;
  return (
    <div className="tryit__row">
      <div className="tryit__fields">
        {names.map((n, i) => (
          <label key={n}>
            {n}
            <input
              type="number"
              step="any"
              value={Number.isFinite(values[i]) ? values[i] : ''}
              data-testid={`tryit-feature-${i}`}
              onChange={(e) => {
                const next = [...values];
                next[i] = e.target.value === '' ? NaN : Number(e.target.value);
                if (next.every(Number.isFinite)) setValues(next);
              }}
            />
          </label>
        ))}
      </div>
      <Probabilities prediction={prediction} />
    </div>
  );
}
