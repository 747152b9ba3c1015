// The bytes a dataset needs from disk: Fashion-MNIST's IDX files (train and, when present, the
// t10k test split; the system copy in /usr/share/datasets first) and the text corpus.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DatasetParams } from '@hgrad/ir';
import { filesNeeded, type DatasetFiles } from '@hgrad/train';

/** The bytes the dataset needs from disk (Fashion-MNIST's IDX files, the text corpus). */
export async function datasetFiles(params: DatasetParams): Promise<DatasetFiles> {
  const need = filesNeeded(params);
  if (need === 'text')
    return { text: await readFile(new URL('../../../data/text/genesis-kjv.txt', import.meta.url), 'utf8') };
  if (need !== 'fashion-mnist') return {};
  const full = '/usr/share/datasets/fashion-mnist';
  const dir = existsSync(`${full}/train-images-idx3-ubyte.gz`)
    ? full
    : new URL('../../../data/fashion-mnist', import.meta.url).pathname;
  const test = existsSync(`${dir}/t10k-images-idx3-ubyte.gz`)
    ? {
        fashionMnistTest: {
          images: new Uint8Array(await readFile(`${dir}/t10k-images-idx3-ubyte.gz`)),
          labels: new Uint8Array(await readFile(`${dir}/t10k-labels-idx1-ubyte.gz`)),
        },
      }
    : {};
  return {
    fashionMnist: {
      images: new Uint8Array(await readFile(`${dir}/train-images-idx3-ubyte.gz`)),
      labels: new Uint8Array(await readFile(`${dir}/train-labels-idx1-ubyte.gz`)),
    },
    ...test,
  };
}
