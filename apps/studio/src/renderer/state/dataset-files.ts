// Datasets that live in files (Fashion-MNIST images, the Genesis text) are fetched by the UI
// and handed to the engine worker with the load request.
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

export async function datasetFiles(name: string): Promise<
  | {
      text?: string;
      fashionImages?: ArrayBuffer;
      fashionLabels?: ArrayBuffer;
      fashionTestImages?: ArrayBuffer;
      fashionTestLabels?: ArrayBuffer;
    }
  | undefined
> {
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
