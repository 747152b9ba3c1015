// "Try it": the trained model on the person's own input, live. Image models get a 28×28 pad to
// draw on (or an image to drop), feature models a row of number fields (a table's own column
// names, typed in its units), character models a prompt they continue, character by character,
// with a temperature. The prediction shows every class's probability.
import { useEffect, useState } from 'react';
import { datasetNodeOf, type ImagesSpec } from '@hgrad/ir';
import { engineCommands } from '../state/engine-controller.ts';
import { useDocument } from '../state/document-store.ts';
import { useRun } from '../state/run-store.ts';
import { FeatureTry } from './try-it/features.tsx';
import { FolderImageTry, ImageTry } from './try-it/image.tsx';
import { TextTry } from './try-it/text.tsx';

export function TryItPanel() {
  const loadedKey = useRun((s) => s.loadedKey);
  const analysis = useDocument((s) => s.analysis);
  const params = useDocument((s) => datasetNodeOf(s.doc)?.params);
  const node = useDocument((s) => datasetNodeOf(s.doc));
  const shape = node ? analysis.nodes.get(node.id)?.outputs.x?.slice(1) : undefined;
  const [first, setFirst] = useState<number[] | null>(null);
  useEffect(() => {
    if (loadedKey === null) return;
    void engineCommands.samples(1).then((r) => {
      const s = r?.samples[0];
      // A table's fields take its own units: the first sample before standardisation is not at
      // hand, so the fields start at the column means.
      const table = params?.name === 'table' ? (params.table as { stats?: { mean: number[] } }) : null;
      setFirst(table?.stats ? table.stats.mean.map((m) => +m.toPrecision(4)) : s ? s.x : null);
    });
  }, [loadedKey]);
  if (loadedKey === null || !shape)
    return <p className="muted tryit__empty">Load a trainable graph to try it.</p>;
  if (shape.includes('T')) return <TextTry />;
  if (params?.name === 'images' && params.images)
    return <FolderImageTry spec={params.images as ImagesSpec} />;
  if (shape.length >= 2 && (shape.at(-1) as number) > 4) return <ImageTry />;
  const names =
    params?.name === 'table'
      ? ((params.table as { features?: string[] })?.features ?? [])
      : shape.length === 1
        ? Array.from({ length: shape[0] as number }, (_, i) => `x${i}`)
        : [];
  if (names.length === 0)
    return <p className="muted tryit__empty">This model’s input cannot be typed here.</p>;
  return <FeatureTry names={names} first={first} />;
}
