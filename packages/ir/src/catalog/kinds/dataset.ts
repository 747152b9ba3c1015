// Dataset node: the graph's source of samples (x) and labels or targets (y).
import { z } from 'zod';
import type { NodeKind, ShapeResult, SymShape } from '../types.ts';

export const DATASETS = {
  blobs: { x: [2], y: 'class', classes: 3 },
  moons: { x: [2], y: 'class', classes: 2 },
  circles: { x: [2], y: 'class', classes: 2 },
  spirals: { x: [2], y: 'class', classes: 2 },
  xor: { x: [2], y: 'class', classes: 2 },
  'linear-regression': { x: [3], y: 'value', classes: 0 },
  sine: { x: [1], y: 'value', classes: 0 },
  'fashion-mnist': {
    x: [1, 28, 28],
    y: 'class',
    classes: 10,
    labels: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
  },
  /** Character windows of Genesis (KJV): x are token ids [N, T], y the next token at each step. */
  genesis: { x: ['T'], y: 'sequence', classes: 59 },
} as const;
export type DatasetName = keyof typeof DATASETS;

const params = z.object({
  name: z
    .enum(Object.keys(DATASETS) as [DatasetName, ...DatasetName[]])
    .describe('Which dataset feeds the graph'),
});

export const Dataset: NodeKind<z.infer<typeof params>> = {
  kind: 'Dataset',
  category: 'data',
  doc: 'Samples from a built-in dataset: features on x, labels (or regression targets) on y.',
  inputs: [],
  outputs: [
    { name: 'x', dtype: 'any', doc: 'A batch of inputs (token ids for text)' },
    { name: 'y', dtype: 'any', doc: 'Class indices (int) or targets (float)' },
  ],
  params,
  initial: { name: 'blobs' },
  infer(_inputs, p): ShapeResult {
    const d = DATASETS[p.name];
    if (d.y === 'sequence')
      return { outputs: { x: ['N', 'T'], y: ['N', 'T'] }, dtypes: { x: 'int', y: 'int' } };
    const y: SymShape = d.y === 'class' ? ['N'] : ['N', 1];
    return { outputs: { x: ['N', ...d.x], y }, dtypes: { y: d.y === 'class' ? 'int' : 'float' } };
  },
};
