// The nn namespace: modules, containers and layers, PyTorch-style.
export { Module, type StateDict, type LoadResult } from './module.ts';
export { Parameter } from './parameter.ts';
export { Sequential, ModuleList, ModuleDict } from './containers.ts';
export { Linear } from './linear.ts';
export { Conv1d, Conv2d } from './conv.ts';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling.ts';
export { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from './normalization.ts';
export { Embedding } from './embedding.ts';
export { RNNCell, GRUCell, LSTMCell, RNNBase, RNN, GRU, LSTM, type RnnOptions } from './rnn.ts';
export { MultiheadAttention } from './attention.ts';
export {
  ReLU,
  LeakyReLU,
  GELU,
  SiLU,
  Tanh,
  Sigmoid,
  Softmax,
  LogSoftmax,
  Identity,
  Flatten,
  Dropout,
} from './activation.ts';
export * from './loss-modules.ts';
