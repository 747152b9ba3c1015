// Dataset node: the graph's source of samples (x) and labels or targets (y). Its params name the
// dataset and say how it is made (how many samples, how much noise, …): the one place a document
// says what it trains on. Each dataset takes only the options listed for it. A user's own table
// (CSV/TSV) is the dataset 'table', described by its versioned `table` spec: which file (by
// reference: name, size and hash, and its path where the host has one), which columns are
// features and which is the target, how targets map to classes, standardisation and the split.
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

const Column = z.string().min(1).max(200);

/** Version 1 of the spec of a user's table; `version` moves when its meaning changes (with a migration). */
export const TableSpecSchema = z
  .strictObject({
    version: z.literal(1),
    /** The file by reference: a saved document re-opens with its data or names what is missing. */
    file: z.strictObject({
      name: z.string().min(1).max(500),
      /** Where the desktop app read it (the web build keeps a copy in the browser instead). */
      path: z.string().max(4096).optional(),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits' }),
    }),
    delimiter: z.enum([',', '\t', ';', '|']),
    features: z.array(Column).min(1).max(10_000),
    target: Column,
    task: z.enum(['classification', 'regression']),
    /** Classification: the target values in class-index order (class i is classes[i]). */
    classes: z.array(z.string().max(200)).max(1000).optional(),
    /** Features minus their mean, over their standard deviation (measured at import, over every kept row). */
    standardize: z.boolean(),
    /** Rows with a cell that is not a number are dropped (counted) rather than refused. */
    dropInvalidRows: z.boolean(),
    /** 'fraction': training.validationSplit at random; 'column': a column says each row's split. */
    split: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('fraction') }),
      z.strictObject({
        kind: z.literal('column'),
        column: Column,
        validation: z.string().max(200),
        test: z.string().max(200).optional(),
      }),
    ]),
    /** Per-feature mean and standard deviation measured at import (what standardisation uses). */
    stats: z
      .strictObject({
        rows: z.number().int().min(1),
        mean: z.array(z.number()),
        std: z.array(z.number().min(0)),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (t.features.includes(t.target))
      issue(['features'], `the target column '${t.target}' cannot also be a feature`);
    if (new Set(t.features).size !== t.features.length) issue(['features'], 'a column is listed twice');
    if (t.task === 'classification' && (t.classes?.length ?? 0) < 2)
      issue(['classes'], 'classification needs at least 2 classes (the target values in class order)');
    if (t.task === 'regression' && t.classes) issue(['classes'], 'regression has no classes');
    if (t.standardize && !t.stats) issue(['stats'], 'standardisation needs the stats measured at import');
    if (t.stats && (t.stats.mean.length !== t.features.length || t.stats.std.length !== t.features.length))
      issue(['stats'], `stats must have one mean and one std per feature (${t.features.length})`);
    if (t.split.kind === 'column' && [t.target, ...t.features].includes(t.split.column))
      issue(['split', 'column'], `the split column '${t.split.column}' cannot be the target or a feature`);
  });
export type TableSpec = z.infer<typeof TableSpecSchema>;

/**
 * Version 1 of the spec of a user's image folder: one subfolder per class, PNG or JPEG files,
 * each fitted into size × size (box filter, white margins), grayscale or RGB, values in [0, 1] or
 * standardised per channel with the stats measured at import. The folder is named by reference
 * (its name, file count and a hash over every used file's path and contents).
 */
export const ImagesSpecSchema = z
  .strictObject({
    version: z.literal(1),
    folder: z.strictObject({
      name: z.string().min(1).max(500),
      path: z.string().max(4096).optional(),
      files: z.number().int().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits' }),
    }),
    /** The class subfolders, in class-index order. */
    classes: z.array(z.string().min(1).max(200)).min(2).max(1000),
    size: z.number().int().min(4).max(256),
    channels: z.union([z.literal(1), z.literal(3)]),
    normalize: z.enum(['unit', 'standard']),
    stats: z.strictObject({ mean: z.array(z.number()), std: z.array(z.number().min(0)) }).optional(),
    /** Files that could not be read, named (the first 50), and how many. */
    skipped: z.strictObject({ count: z.number().int().min(0), files: z.array(z.string().max(1000)).max(50) }),
  })
  .superRefine((s, ctx) => {
    if (
      s.normalize === 'standard' &&
      (!s.stats || s.stats.mean.length !== s.channels || s.stats.std.length !== s.channels)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['stats'],
        message: `standardising needs a mean and a std per channel (${s.channels})`,
      });
  });
export type ImagesSpec = z.infer<typeof ImagesSpecSchema>;

const params = z
  .object({
    name: z
      .enum([...DATASET_NAMES, 'table', 'images'])
      .describe(
        'Which dataset feeds the graph (table: your CSV/TSV, images: your image folder — both from the File menu)',
      ),
    samples: OPTION_SCHEMAS.samples.optional(),
    noise: OPTION_SCHEMAS.noise.optional(),
    classes: OPTION_SCHEMAS.classes.optional(),
    seqLen: OPTION_SCHEMAS.seqLen.optional(),
    table: TableSpecSchema.optional().describe('Your table: its file, columns and split'),
    images: ImagesSpecSchema.optional().describe('Your images: the folder, classes, size and channels'),
  })
  .superRefine((p, ctx) => {
    const own = p.name === 'table' || p.name === 'images' ? p.name : null;
    if (p.table && own !== 'table')
      ctx.addIssue({ code: 'custom', path: ['table'], message: `dataset '${p.name}' takes no table` });
    if (p.images && own !== 'images')
      ctx.addIssue({
        code: 'custom',
        path: ['images'],
        message: `dataset '${p.name}' takes no image folder`,
      });
    if (own) {
      if (!p[own])
        ctx.addIssue({
          code: 'custom',
          path: [own],
          message:
            own === 'table'
              ? "dataset 'table' needs a table: import a CSV or TSV file with File → Import data…"
              : "dataset 'images' needs an image folder: import one with File → Import image folder…",
        });
      for (const key of Object.keys(OPTION_SCHEMAS))
        if (p[key as DatasetOption] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: `dataset '${own}' has no option '${key}'` });
      return;
    }
    const takes = Object.keys(DATASETS[p.name as DatasetName].options);
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
  if (p.name === 'table' || p.name === 'images') return {};
  const defaults: Partial<Record<DatasetOption, number>> = DATASETS[p.name].options;
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, p[key as DatasetOption] ?? value]),
  );
}

/** How many classes the labels have (0 for regression). */
export const datasetClasses = (p: DatasetParams): number =>
  p.name === 'images'
    ? (p.images?.classes.length ?? 0)
    : p.name === 'table'
      ? (p.table?.classes?.length ?? 0)
      : p.name === 'blobs'
        ? (p.classes ?? DATASETS.blobs.classes)
        : DATASETS[p.name].classes;

/** The names of the classes, when the dataset has them (Fashion-MNIST's garments, a table's values). */
export const datasetLabels = (p: DatasetParams): readonly string[] | undefined =>
  p.name === 'table'
    ? p.table?.classes
    : p.name === 'images'
      ? p.images?.classes
      : (DATASETS[p.name] as { labels?: readonly string[] }).labels;

export const Dataset: NodeKind<DatasetParams, 'Dataset'> = {
  kind: 'Dataset',
  category: 'data',
  doc: 'Samples from a built-in dataset: features on x, labels (or regression targets) on y.',
  backwardRule: 'Dataset: data and labels are inputs, not parameters: no gradient reaches them',
  face: (p) =>
    p.name === 'table' && p.table
      ? `${p.table.file.name}: ${p.table.features.length} → ${p.table.target}`
      : p.name === 'images' && p.images
        ? `${p.images.folder.name}: ${p.images.classes.length} classes, ${p.images.size}×${p.images.size}`
        : p.name,
  visibleParams: (p) =>
    p.name === 'table' || p.name === 'images' ? ['name'] : ['name', ...Object.keys(DATASETS[p.name].options)],
  inputs: [],
  outputs: [
    { name: 'x', dtype: 'any', doc: 'A batch of inputs (token ids for text)' },
    { name: 'y', dtype: 'any', doc: 'Class indices (int) or targets (float)' },
  ],
  params,
  initial: { name: 'blobs' },
  infer(_inputs, p): ShapeResult {
    if (p.name === 'images') {
      const m = p.images!;
      return { outputs: { x: ['N', m.channels, m.size, m.size], y: ['N'] }, dtypes: { y: 'int' } };
    }
    if (p.name === 'table') {
      const t = p.table!;
      return t.task === 'classification'
        ? { outputs: { x: ['N', t.features.length], y: ['N'] }, dtypes: { y: 'int' } }
        : { outputs: { x: ['N', t.features.length], y: ['N', 1] }, dtypes: { y: 'float' } };
    }
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
