// Dataset node: the graph's source of samples (x) and labels or targets (y). Its params name the
// dataset and say how it is made (how many samples, how much noise, …): the one place a document
// says what it trains on. Each dataset takes only the options listed for it.
import { z } from 'zod';
import type { NodeKind, ShapeResult, SymShape } from '../types.ts';

type DatasetOption = 'samples' | 'noise' | 'classes' | 'seqLen';

interface DatasetInfo {
  /** Per-sample input shape; 'T' is the sequence length. */
  x: readonly (number | 'T')[];
  y: 'class' | 'value' | 'sequence';
  /** Classes of the labels (for blobs: the `classes` option's default). */
  classes: number;
  labels?: readonly string[];
  /** The options this dataset takes, with their defaults. */
  options: Partial<Record<DatasetOption, number>>;
}

export const DATASETS = {
  blobs: { x: [2], y: 'class', classes: 3, options: { samples: 600, classes: 3 } },
  moons: { x: [2], y: 'class', classes: 2, options: { samples: 600, noise: 0.1 } },
  circles: { x: [2], y: 'class', classes: 2, options: { samples: 600, noise: 0.05 } },
  spirals: { x: [2], y: 'class', classes: 2, options: { samples: 600, noise: 0.1 } },
  xor: { x: [2], y: 'class', classes: 2, options: { samples: 600, noise: 0 } },
  'linear-regression': { x: [3], y: 'value', classes: 0, options: { samples: 600 } },
  sine: { x: [1], y: 'value', classes: 0, options: { samples: 600 } },
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
    /** samples: train on the first N of the 60,000 training images. */
    options: { samples: 60000 },
  },
  /** Character windows of Genesis (KJV): x are token ids [N, T], y the next token at each step. */
  genesis: { x: ['T'], y: 'sequence', classes: 59, options: { samples: 2000, seqLen: 32 } },
} as const satisfies Record<string, DatasetInfo>;
export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as [DatasetName, ...DatasetName[]];

const OPTION_SCHEMAS = {
  samples: z.number().int().min(1).max(1_000_000).describe('How many samples (or text windows) to use'),
  noise: z.number().min(0).max(10).describe('Standard deviation of the noise added to each point'),
  classes: z.number().int().min(2).max(100).describe('Number of blobs, one class each'),
  seqLen: z.number().int().min(1).max(4096).describe('Characters per training window'),
} satisfies Record<DatasetOption, z.ZodType>;

const params = z
  .object({
    name: z.enum(DATASET_NAMES).describe('Which dataset feeds the graph'),
    samples: OPTION_SCHEMAS.samples.optional(),
    noise: OPTION_SCHEMAS.noise.optional(),
    classes: OPTION_SCHEMAS.classes.optional(),
    seqLen: OPTION_SCHEMAS.seqLen.optional(),
  })
  .superRefine((p, ctx) => {
    const takes = Object.keys(DATASETS[p.name].options);
    for (const key of Object.keys(OPTION_SCHEMAS))
      if (p[key as DatasetOption] !== undefined && !takes.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `dataset '${p.name}' has no option '${key}' (it takes ${takes.join(', ')})`,
        });
  });
export type DatasetParams = z.infer<typeof params>;

/** The dataset's options with their defaults filled in (what the data loader uses). */
export function datasetOptions(p: DatasetParams): Partial<Record<DatasetOption, number>> {
  const defaults: Partial<Record<DatasetOption, number>> = DATASETS[p.name].options;
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, p[key as DatasetOption] ?? value]),
  );
}

/** How many classes the labels have (0 for regression). */
export const datasetClasses = (p: DatasetParams): number =>
  p.name === 'blobs' ? (p.classes ?? DATASETS.blobs.classes) : DATASETS[p.name].classes;

export const Dataset: NodeKind<DatasetParams, 'Dataset'> = {
  kind: 'Dataset',
  category: 'data',
  doc: 'Samples from a built-in dataset: features on x, labels (or regression targets) on y.',
  backwardRule: 'Dataset: data and labels are inputs, not parameters: no gradient reaches them',
  face: (p) => p.name,
  visibleParams: (p) => ['name', ...Object.keys(DATASETS[p.name].options)],
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
    return {
      outputs: { x: ['N', ...(d.x as readonly number[])], y },
      dtypes: { y: d.y === 'class' ? 'int' : 'float' },
    };
  },
};
