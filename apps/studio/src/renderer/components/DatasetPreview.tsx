// A look at the data before training: images as thumbnails with their class names, text
// windows decoded back to characters, other samples as numbers.
import { useEffect, useState } from 'react';
import { Thumbnail } from './Thumbnail.tsx';
import { datasetLabels, datasetNodeOf, KINDS, type DatasetParams } from '@hgrad/ir';

const DatasetParamsSchema = KINDS.Dataset.params;
import type { RuntimeResult } from '@hgrad/protocol';
import { useDocument } from '../state/document-store.ts';
import { useRun } from '../state/run-store.ts';
import { engineCommands } from '../state/engine-controller.ts';

type Samples = Extract<RuntimeResult, { type: 'samples' }>;

export function DatasetPreview() {
  const loadedKey = useRun((s) => s.loadedKey);
  const request = engineCommands.samples;
  const params = useDocument((s) => datasetNodeOf(s.doc)?.params);
  const datasetName = String(params?.name ?? '');
  // The samples with the dataset they came from: another document's are never shown under this one.
  const [fetched, setFetched] = useState<{ samples: Samples; dataset: string } | null>(null);
  useEffect(() => {
    if (loadedKey === null) return setFetched(null);
    let cancelled = false;
    const dataset = datasetName;
    void request(12).then((r) => !cancelled && setFetched(r ? { samples: r, dataset } : null));
    return () => {
      cancelled = true;
    };
    // datasetName is read when the engine has loaded (loadedKey); it is not a trigger itself.
  }, [loadedKey, request]);
  const samples = fetched && fetched.dataset === datasetName ? fetched.samples : null;
  if (!samples) return null;
  const labels =
    params && DatasetParamsSchema.safeParse(params).success
      ? datasetLabels(params as DatasetParams)
      : undefined;
  const label = (y: number[]) => (labels ? labels[y[0]!] : y.length === 1 ? String(+y[0]!.toFixed(3)) : null);
  const shape = samples.shape;
  let body;
  if (shape.length >= 2 && shape.at(-1)! > 4) {
    const size: [number, number] = [shape.at(-2)!, shape.at(-1)!];
    body = (
      <div className="preview__images">
        {samples.samples.map((s, i) => (
          <figure key={i}>
            <Thumbnail pixels={s.x.slice(0, size[0] * size[1])} size={size} />
            <figcaption>{label(s.y)}</figcaption>
          </figure>
        ))}
      </div>
    );
  } else if (samples.vocabulary) {
    const decode = (ids: number[]) => ids.map((t) => samples.vocabulary![t] ?? '?').join('');
    body = (
      <ul className="preview__text">
        {samples.samples.slice(0, 6).map((s, i) => (
          <li key={i}>
            <code>{JSON.stringify(decode(s.x))}</code> → <code>{JSON.stringify(decode(s.y))}</code>
          </li>
        ))}
      </ul>
    );
  } else
    body = (
      <table className="preview__table">
        <tbody>
          {samples.samples.slice(0, 8).map((s, i) => (
            <tr key={i}>
              <td>{s.x.map((v) => v.toFixed(3)).join(', ')}</td>
              <td>→ {label(s.y)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <figure className="chart preview" data-testid="dataset-preview">
      <figcaption>dataset: {datasetName} (first training samples)</figcaption>
      {body}
    </figure>
  );
}
