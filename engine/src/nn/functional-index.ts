// torch.nn.functional as F (camelCase names; where PyTorch's own spelling differs only in case,
// such as logsigmoid, it is exported too).
export { linear, dropout, batchNorm, layerNorm, groupNorm, instanceNorm, embedding } from './functional.ts';
export { embeddingBag } from './embedding.ts';
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
export { dropout1d, dropout2d, dropout3d, alphaDropout, featureAlphaDropout } from './channel-dropout.ts';
export { prelu, softshrink, hardshrink, tanhshrink, threshold } from './activation-extra.ts';
export { adaptiveAvgPool1d, adaptiveMaxPool1d, lpPool1d, lpPool2d } from './pool-extra.ts';
export { cosineSimilarity, pairwiseDistance } from './distance.ts';
export { bilinear } from './layer-wrappers.ts';
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
export { multiMarginLoss, multilabelMarginLoss, tripletMarginWithDistanceLoss } from './losses-margin.ts';
export { affineGrid, gridSample } from './sampling.ts';
export { localResponseNorm, channelShuffle } from './channel-ops.ts';
export { pdist } from './distance.ts';
export { rrelu, gumbelSoftmax } from './random-activations.ts';
export { upsample, upsampleNearest, upsampleBilinear } from './functional-extra.ts';
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
