// The node catalog: every node kind the editor offers, keyed by kind name.
import * as A from './activations.ts';
import { AvgPool2d, Conv2d, MaxPool2d } from './conv.ts';
import { Dataset } from './data.ts';
import { Flatten } from './flatten.ts';
import { Linear } from './linear.ts';
import { BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss } from './losses.ts';
import { Add, Concat, Mean, Mul, Reshape, Sum } from './math.ts';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from './normalization.ts';
import { Embedding, GRU, LSTM, RNN, SelfAttention } from './sequence.ts';
import type { NodeKind } from './types.ts';

// Palette order: data, layers, activations, math and shape, losses.
const kinds = [
  Dataset,
  Linear,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  Embedding,
  RNN,
  GRU,
  LSTM,
  SelfAttention,
  A.ReLU,
  A.Tanh,
  A.Sigmoid,
  A.SiLU,
  A.GELU,
  A.LeakyReLU,
  A.Dropout,
  A.Softmax,
  Add,
  Mul,
  Mean,
  Sum,
  Flatten,
  Reshape,
  Concat,
  CrossEntropyLoss,
  MSELoss,
  L1Loss,
  BCEWithLogitsLoss,
] as NodeKind[];

export const CATALOG: ReadonlyMap<string, NodeKind> = new Map(kinds.map((k) => [k.kind, k]));

export * from './types.ts';
export { DATASETS, type DatasetName } from './data.ts';
