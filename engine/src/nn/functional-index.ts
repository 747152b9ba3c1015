// torch.nn.functional as F.
export { linear, dropout, batchNorm, layerNorm, groupNorm, embedding } from './functional.ts';
export { conv1d, conv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d } from './conv-functional.ts';
export * from './losses.ts';
export { relu, sigmoid, tanh } from '../ops/unary.ts';
export { leakyRelu, elu, gelu, silu, softplus, logSigmoid, hardtanh } from '../functional/activations.ts';
export { softmax, logSoftmax } from '../functional/reductions.ts';
