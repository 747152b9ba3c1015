// Datasets that live in files (Fashion-MNIST images, the Genesis text, the user's tables) are
// fetched by the UI and handed to the engine worker with the load request.
import { ImagesSpecSchema, TableSpecSchema, type TableSpec } from '@hgrad/ir';
import { imagesKey, loadImages, loadTable } from './data-store.ts';
import fashionImagesUrl from '../../../../../data/fashion-mnist/train-images-idx3-ubyte.gz?url';
import fashionLabelsUrl from '../../../../../data/fashion-mnist/train-labels-idx1-ubyte.gz?url';
import fashionTestImagesUrl from '../../../../../data/fashion-mnist/t10k-images-idx3-ubyte.gz?url';
import fashionTestLabelsUrl from '../../../../../data/fashion-mnist/t10k-labels-idx1-ubyte.gz?url';
import genesisUrl from '../../../../../data/text/genesis-kjv.txt?url';

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

/** A document's own data that this browser holds no copy of: the person is asked to locate it. */
export class MissingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingDataError';
  }
}

const missingTable = (spec: TableSpec) =>
  new MissingDataError(
    `The data file ${spec.file.name} (${spec.file.size.toLocaleString('en')} bytes) is not stored in this browser: locate it with File → Import data… to train`,
  );

export async function datasetFiles(params: Record<string, unknown> | undefined): Promise<
  | {
      text?: string;
      fashionImages?: ArrayBuffer;
      fashionLabels?: ArrayBuffer;
      fashionTestImages?: ArrayBuffer;
      fashionTestLabels?: ArrayBuffer;
      table?: string;
      images?: { pixels: Float32Array<ArrayBuffer>; labels: number[] };
    }
  | undefined
> {
  const name = params?.name;
  if (name === 'table') {
    const parsed = TableSpecSchema.safeParse(params?.table);
    // A malformed spec is the document's problem, which the engine reports by field.
    if (!parsed.success) return undefined;
    const stored = await loadTable(parsed.data.file.sha256);
    if (!stored) throw missingTable(parsed.data);
    return { table: stored.text };
  }
  if (name === 'images') {
    const parsed = ImagesSpecSchema.safeParse(params?.images);
    if (!parsed.success) return undefined;
    const { folder, size, channels } = parsed.data;
    const stored = await loadImages(imagesKey(folder.sha256, size, channels));
    if (!stored)
      throw new MissingDataError(
        `The image folder ${folder.name} (${folder.files} images) is not stored in this browser: import it again with File → Import image folder… to train`,
      );
    return { images: { pixels: stored.pixels, labels: stored.labels } };
  }
  if (name === 'fashion-mnist') {
    // The t10k images are the test split: evaluated on request, never trained or validated on.
    const [fashionImages, fashionLabels, fashionTestImages, fashionTestLabels] = await Promise.all([
      fetchBytes(fashionImagesUrl),
      fetchBytes(fashionLabelsUrl),
      fetchBytes(fashionTestImagesUrl),
      fetchBytes(fashionTestLabelsUrl),
    ]);
    return { fashionImages, fashionLabels, fashionTestImages, fashionTestLabels };
  }
  if (name === 'genesis') return { text: await (await fetch(genesisUrl)).text() };
  return undefined;
}
