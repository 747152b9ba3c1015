// The nn namespace: modules, containers and layers, PyTorch-style.
export { Module, type StateDict, type LoadResult } from './module.ts';
export { Parameter } from './parameter.ts';
export { Sequential, ModuleList, ModuleDict } from './containers.ts';
export { Linear, type LinearOptions } from './linear.ts';
export {
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  type ConvOptions,
  type ConvTransposeOptions,
} from './conv.ts';
export {
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool2d,
  MaxUnpool2d,
} from './pooling.ts';
export {
  BatchNorm1d,
  BatchNorm2d,
  BatchNorm3d,
  InstanceNorm1d,
  InstanceNorm2d,
  InstanceNorm3d,
  GroupNorm,
  LayerNorm,
} from './normalization.ts';
export { Embedding, EmbeddingBag } from './embedding.ts';
export { Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from './channel-dropout.ts';
export { PReLU, Softshrink, Hardshrink, Tanhshrink, Threshold } from './activation-extra.ts';
export { AdaptiveAvgPool1d, AdaptiveMaxPool1d, LPPool1d, LPPool2d } from './pool-extra.ts';
export {
  ZeroPad2d,
  ConstantPad1d,
  ConstantPad2d,
  ConstantPad3d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReplicationPad1d,
  ReplicationPad2d,
  ReplicationPad3d,
} from './padding.ts';
export { CosineSimilarity, PairwiseDistance } from './distance.ts';
export {
  Unfold,
  Fold,
  UpsamplingNearest2d,
  UpsamplingBilinear2d,
  Softmax2d,
  Bilinear,
} from './layer-wrappers.ts';
export { RNNCell, GRUCell, LSTMCell, RNNBase, RNN, GRU, LSTM, type RnnOptions } from './rnn.ts';
export { MultiheadAttention } from './attention.ts';
export { TransformerEncoderLayer, TransformerEncoder } from './transformer.ts';
export { TransformerDecoderLayer, TransformerDecoder, Transformer } from './transformer-decoder.ts';
export { Upsample } from './upsample.ts';
export {
  ReLU,
  ReLU6,
  LeakyReLU,
  ELU,
  CELU,
  SELU,
  GELU,
  SiLU,
  Mish,
  Tanh,
  Sigmoid,
  Softplus,
  Softsign,
  LogSigmoid,
  Hardtanh,
  Hardswish,
  Hardsigmoid,
  Softmax,
  LogSoftmax,
  Softmin,
  GLU,
  Identity,
  Flatten,
  Unflatten,
  Dropout,
  PixelShuffle,
  PixelUnshuffle,
} from './activation.ts';
export * from './loss-modules.ts';
export { LocalResponseNorm, ChannelShuffle } from './channel-ops.ts';
export { RReLU } from './random-activations.ts';
/** torch.nn.init, also under nn (nn.init.kaimingUniform_), where PyTorch users reach for it. */
export * as init from './init.ts';
/** torch.nn.utils (clipGradNorm_, parametersToVector, rnn.padSequence, …). */
export * as utils from './utils.ts';
