// The templates gallery: the repository's examples, plus the empty document "New" starts from.
import mlpBlobs from '../../../../../examples/mlp-blobs.hgrad.json?raw';
import mlpFashion from '../../../../../examples/mlp-fashion.hgrad.json?raw';
import cnnFashion from '../../../../../examples/cnn-fashion.hgrad.json?raw';
import charRnn from '../../../../../examples/char-rnn.hgrad.json?raw';
import { CURRENT_VERSION } from '@hgrad/ir';

export interface Template {
  id: string;
  title: string;
  description: string;
  text: string;
  fileName: string;
}

export const TEMPLATES: Template[] = [
  {
    id: 'mlp-blobs',
    title: 'MLP on blobs',
    description: '2 → 16 → 3 classifier on three Gaussian blobs; trains in seconds.',
    text: mlpBlobs,
    fileName: 'mlp-blobs.hgrad.json',
  },
  {
    id: 'mlp-fashion',
    title: 'Fashion-MNIST MLP',
    description: '784 → 128 → 10 on 28×28 clothing images.',
    text: mlpFashion,
    fileName: 'mlp-fashion.hgrad.json',
  },
  {
    id: 'cnn-fashion',
    title: 'Fashion-MNIST CNN',
    description: 'Two conv + pool blocks and a linear head.',
    text: cnnFashion,
    fileName: 'cnn-fashion.hgrad.json',
  },
  {
    id: 'char-rnn',
    title: 'Character RNN',
    description: 'Embedding → GRU → Linear, next-character prediction on Genesis.',
    text: charRnn,
    fileName: 'char-rnn.hgrad.json',
  },
];

/** "New": a Dataset node and a training configuration, ready for layers. */
export const EMPTY_TEMPLATE = JSON.stringify({
  format: 'hgrad',
  version: CURRENT_VERSION,
  metadata: { name: 'Untitled', description: '' },
  nodes: [{ id: 'data', kind: 'Dataset', params: { name: 'blobs' }, position: { x: 0, y: 120 } }],
  edges: [],
  training: {
    validationSplit: 0.2,
    // Adam at 1e-3 is a good first choice across the datasets (0.05 overshoots on Fashion-MNIST).
    optimizer: { kind: 'adam', lr: 0.001, params: {} },
    batchSize: 32,
    epochs: 20,
    seed: 0,
    device: 'cpu',
  },
});
