// Shared helpers for the example scripts: argument flags and dataset files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const quick = process.argv.includes('--quick');
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Fashion-MNIST: the full set from Debian's dataset-fashion-mnist when installed, else the committed subset. */
export function fashionFiles(preferFull = !quick): {
  images: Uint8Array;
  labels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
  source: string;
} {
  const full = '/usr/share/datasets/fashion-mnist';
  const dir =
    preferFull && existsSync(`${full}/train-images-idx3-ubyte.gz`) ? full : `${repoRoot}data/fashion-mnist`;
  const read = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}`));
  return {
    images: read('train-images-idx3-ubyte.gz'),
    labels: read('train-labels-idx1-ubyte.gz'),
    testImages: read('t10k-images-idx3-ubyte.gz'),
    testLabels: read('t10k-labels-idx1-ubyte.gz'),
    source: dir,
  };
}

export const genesisText = (): string => readFileSync(`${repoRoot}data/text/genesis-kjv.txt`, 'utf8');
