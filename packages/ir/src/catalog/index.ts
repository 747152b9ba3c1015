// The node catalog: every node kind the editor offers, keyed by kind name.
import * as A from './activations.ts';
import { AvgPool2d, Conv2d, MaxPool2d } from './conv.ts';
import { Dataset } from './data.ts';
import { Flatten } from './flatten.ts';
import { Linear } from './linear.ts';
import { CrossEntropyLoss, MSELoss } from './losses.ts';
import type { NodeKind } from './types.ts';

const kinds = [
  Dataset,
  Linear,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Flatten,
  A.ReLU,
  A.Tanh,
  A.Sigmoid,
  A.SiLU,
  A.GELU,
  A.LeakyReLU,
  A.Dropout,
  A.Softmax,
  CrossEntropyLoss,
  MSELoss,
] as NodeKind[];

export const CATALOG: ReadonlyMap<string, NodeKind> = new Map(kinds.map((k) => [k.kind, k]));

export * from './types.ts';
export { DATASETS, type DatasetName } from './data.ts';
