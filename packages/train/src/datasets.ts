// The data a graph's Dataset node names, made as engine tensors. Built-in synthetic sets are
// generated from the seed; Fashion-MNIST and the text corpus arrive as bytes from the host
// (the file system in Node, fetch in the browser), since this package touches neither.
import * as hg from '@hgrad/engine';
import { datasetOptions, type DatasetParams } from '@hgrad/ir';
import { tableData } from './table.ts';
import { imagesData, type ImageSamples } from './images.ts';

export interface DatasetFiles {
  /** Fashion-MNIST IDX bytes (raw or gzip). */
  fashionMnist?: { images: Uint8Array; labels: Uint8Array };
  /** Fashion-MNIST's test split (t10k), for the test results; optional. */
  fashionMnistTest?: { images: Uint8Array; labels: Uint8Array };
  /** The text corpus for character datasets. */
  text?: string;
  /** The user's table (the CSV/TSV text of the file its spec names). */
  table?: string;
  /** The user's image folder, decoded by the host (see images.ts). */
  images?: ImageSamples;
}

export interface LoadedData {
  x: hg.Tensor;
  y: hg.Tensor;
  /** Which samples are the validation split, when the data says (a table's split column). */
  validation?: number[];
  /** The data's own test split when it comes with the samples (a table's split column). */
  test?: LoadedData;
}

/** Which host files a dataset needs (so hosts read only what is used). */
export function filesNeeded(params: DatasetParams): 'fashion-mnist' | 'text' | 'table' | 'images' | null {
  return params.name === 'fashion-mnist'
    ? 'fashion-mnist'
    : params.name === 'genesis'
      ? 'text'
      : params.name === 'table'
        ? 'table'
        : params.name === 'images'
          ? 'images'
          : null;
}

export async function loadDataset(
  params: DatasetParams,
  seed: number,
  files: DatasetFiles = {},
): Promise<LoadedData> {
  const o = datasetOptions(params);
  const n = o.samples ?? 600;
  const s = hg.data;
  switch (params.name) {
    case 'blobs':
      return s.blobs(n, { classes: o.classes ?? 3, seed });
    case 'moons':
      return s.moons(n, { seed, noise: o.noise ?? 0.1 });
    case 'circles':
      return s.circles(n, { seed, noise: o.noise ?? 0.05 });
    case 'spirals':
      return s.spirals(n, { seed, noise: o.noise ?? 0.1 });
    case 'xor':
      return s.xor(n, { seed, noise: o.noise ?? 0 });
    case 'linear-regression':
      return s.linearRegression(n, { seed });
    case 'sine':
      return s.sine(n, { seed });
    case 'fashion-mnist': {
      if (!files.fashionMnist) throw new Error("dataset 'fashion-mnist': the host supplied no image files");
      const all = await hg.data.fashionMnist(files.fashionMnist.images, files.fashionMnist.labels);
      const take = Math.min(n, all.x.shape[0]!);
      return { x: all.x.narrow(0, 0, take), y: all.y.narrow(0, 0, take) };
    }
    case 'genesis': {
      if (files.text === undefined) throw new Error("dataset 'genesis': the host supplied no text");
      return characterWindows(files.text, o.seqLen ?? 32, n);
    }
    case 'images': {
      const spec = params.images!;
      if (!files.images)
        throw new Error(
          `dataset 'images': the folder ${spec.folder.name} was not supplied (locate it to train)`,
        );
      return imagesData(files.images, spec);
    }
    case 'table': {
      const spec = params.table!;
      if (files.table === undefined)
        throw new Error(`dataset 'table': the file ${spec.file.name} was not supplied (locate it to train)`);
      const t = tableData(files.table, spec);
      return {
        x: t.x,
        y: t.y,
        ...(t.validation ? { validation: t.validation } : {}),
        ...(t.test ? { test: t.test } : {}),
      };
    }
  }
}

/**
 * The dataset's own test split, kept apart from training and validation (Fashion-MNIST's t10k
 * images); null when the dataset has none or the host supplied none.
 */
export async function loadTestSet(
  params: DatasetParams,
  files: DatasetFiles = {},
): Promise<LoadedData | null> {
  if (params.name === 'table' && files.table !== undefined && params.table?.split.kind === 'column')
    return tableData(files.table, params.table).test ?? null;
  if (params.name !== 'fashion-mnist' || !files.fashionMnistTest) return null;
  const { images, labels } = files.fashionMnistTest;
  return hg.data.fashionMnist(images, labels);
}

/** Whether the dataset comes with a test split of its own. */
export const hasTestSplit = (params: DatasetParams): boolean =>
  params.name === 'fashion-mnist' ||
  (params.name === 'table' && params.table?.split.kind === 'column' && params.table.split.test !== undefined);

/** `count` windows of `seqLen` characters spread over the text, with next-character targets. */
function characterWindows(text: string, seqLen: number, count: number): LoadedData {
  const tok = new hg.data.CharTokenizer(text);
  const ids = tok.encode(text);
  const available = ids.length - seqLen - 1;
  if (available < 1)
    throw new Error(
      `dataset 'genesis': the text (${ids.length} characters) is shorter than seqLen ${seqLen} + 1`,
    );
  const windows = Math.min(count, available);
  const stride = Math.max(1, Math.floor(available / windows));
  const x = new Int32Array(windows * seqLen);
  const y = new Int32Array(windows * seqLen);
  for (let w = 0; w < windows; w++)
    for (let t = 0; t < seqLen; t++) {
      x[w * seqLen + t] = ids[w * stride + t]!;
      y[w * seqLen + t] = ids[w * stride + t + 1]!;
    }
  return { x: hg.tensor(x, { shape: [windows, seqLen] }), y: hg.tensor(y, { shape: [windows, seqLen] }) };
}
