// torch.nn.functional as F (camelCase names; where PyTorch's own spelling differs only in case,
// such as logsigmoid, it is exported too).
export { linear, dropout, batchNorm, layerNorm, groupNorm, instanceNorm, embedding } from './functional.ts';
export { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d } from './conv-functional.ts';
export {
  maxPool1d,
  maxPool2d,
  maxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  maxUnpool2d,
  unfold,
  fold,
} from './pool-functional.ts';
export { pad, type PadMode } from './pad.ts';
export {
  dropout1d,
  dropout2d,
  dropout3d,
  prelu,
  softshrink,
  hardshrink,
  tanhshrink,
  threshold,
  adaptiveAvgPool1d,
  adaptiveMaxPool1d,
  cosineSimilarity,
  pairwiseDistance,
  bilinear,
} from './layers-extra.ts';
export {
  normalize,
  oneHot,
  glu,
  softmin,
  interpolate,
  maskedSelect,
  scatterReduce,
} from './functional-extra.ts';
export * from './losses.ts';
export {
  softMarginLoss,
  multilabelSoftMarginLoss,
  hingeEmbeddingLoss,
  poissonNllLoss,
  gaussianNllLoss,
  marginRankingLoss,
  cosineEmbeddingLoss,
  tripletMarginLoss,
} from './losses-extra.ts';
export { relu, sigmoid, tanh } from '../ops/unary.ts';
export {
  leakyRelu,
  elu,
  celu,
  selu,
  gelu,
  silu,
  mish,
  softplus,
  softsign,
  logSigmoid,
  logsigmoid,
  hardtanh,
  relu6,
  hardswish,
  hardsigmoid,
} from '../functional/activations.ts';
export { softmax, logSoftmax } from '../functional/reductions.ts';
export { pixelShuffle, pixelUnshuffle } from '../functional/rearrange.ts';
