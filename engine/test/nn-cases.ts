// The TypeScript side of fixtures/generate_nn.py: each layer case builds the same module and
// runs it the same way; each loss case calls the same loss.
import * as hg from '../src/index.ts';
import { F, nn, type Tensor } from '../src/index.ts';

export interface LayerCase {
  make: () => hg.nn.Module;
  run?: (m: hg.nn.Module, ...xs: Tensor[]) => Tensor;
}

const flat = (...ts: Tensor[]) => hg.cat(ts.map((t) => t.reshape(-1)));
const call = (m: hg.nn.Module, ...xs: unknown[]) => m.call(...xs);
const pairOut = (m: hg.nn.Module, ...xs: Tensor[]) => flat(...(call(m, ...xs) as [Tensor, Tensor]));
const lstmOut = (m: hg.nn.Module, ...xs: Tensor[]) => {
  const [o, [h, c]] = call(m, ...xs) as [Tensor, [Tensor, Tensor]];
  return flat(o, h, c);
};
const withStats = (m: hg.nn.Module, x: Tensor) => {
  const bn = m as hg.nn.BatchNorm1d;
  const out = bn.forward(x);
  return flat(out, bn.running_mean!, bn.running_var!);
};

export const LAYER_CASES: Record<string, LayerCase> = {
  linear: { make: () => new nn.Linear(4, 3) },
  linearNoBias: { make: () => new nn.Linear(4, 3, { bias: false }) },
  conv2d: { make: () => new nn.Conv2d(3, 4, 3, { padding: 1 }) },
  conv2dStrideDilation: {
    make: () => new nn.Conv2d(2, 4, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2] }),
  },
  conv2dGroups: { make: () => new nn.Conv2d(4, 6, 3, { groups: 2 }) },
  conv1d: { make: () => new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 }) },
  maxPool2d: { make: () => new nn.MaxPool2d(2) },
  maxPool2dPadded: { make: () => new nn.MaxPool2d(3, 2, 1) },
  avgPool2d: { make: () => new nn.AvgPool2d(2) },
  avgPool2dPadded: { make: () => new nn.AvgPool2d(3, 2, 1) },
  adaptiveAvgPool2d: { make: () => new nn.AdaptiveAvgPool2d([2, 3]) },
  adaptiveAvgPool2dOne: { make: () => new nn.AdaptiveAvgPool2d(1) },
  flatten: { make: () => new nn.Flatten() },
  batchNorm1d: { make: () => new nn.BatchNorm1d(4), run: withStats },
  batchNorm1dSeq: { make: () => new nn.BatchNorm1d(3), run: withStats },
  batchNorm2d: { make: () => new nn.BatchNorm2d(3), run: withStats },
  batchNorm2dEval: { make: () => new nn.BatchNorm2d(3) },
  layerNorm: { make: () => new nn.LayerNorm(6) },
  layerNorm2d: { make: () => new nn.LayerNorm([2, 3]) },
  groupNorm: { make: () => new nn.GroupNorm(2, 6) },
  groupNorm4d: { make: () => new nn.GroupNorm(3, 6, { eps: 1e-3 }) },
  groupNormNoAffine: { make: () => new nn.GroupNorm(1, 4, { affine: false }) },
  embedding: { make: () => new nn.Embedding(10, 4) },
  embeddingPadding: { make: () => new nn.Embedding(10, 4, { paddingIdx: 0 }) },
  rnn: { make: () => new nn.RNN(4, 5, { numLayers: 2 }), run: pairOut },
  rnnReluBatchFirst: {
    make: () => new nn.RNN(4, 5, { nonlinearity: 'relu', batchFirst: true }),
    run: pairOut,
  },
  rnnBidirectional: { make: () => new nn.RNN(3, 4, { bidirectional: true }), run: pairOut },
  gru: { make: () => new nn.GRU(4, 5), run: pairOut },
  gruTwoLayersUnbatched: { make: () => new nn.GRU(3, 4, { numLayers: 2 }), run: pairOut },
  lstm: { make: () => new nn.LSTM(4, 5, { numLayers: 2, batchFirst: true }), run: lstmOut },
  lstmBidirectional: { make: () => new nn.LSTM(3, 4, { bidirectional: true }), run: lstmOut },
  rnnCell: { make: () => new nn.RNNCell(4, 5) },
  gruCell: { make: () => new nn.GRUCell(4, 5) },
  lstmCell: {
    make: () => new nn.LSTMCell(4, 5),
    run: (m, x, h, c) => flat(...(call(m, x, [h, c]) as [Tensor, Tensor])),
  },
  multiheadAttention: {
    make: () => new nn.MultiheadAttention(8, 2),
    run: (m, q, k, v) => flat(...(call(m, q, k, v) as [Tensor, Tensor])),
  },
  multiheadAttentionMasked: {
    make: () => new nn.MultiheadAttention(8, 4, { batchFirst: true }),
    run: (m, x, am, kpm) =>
      flat(...(call(m, x, x, x, { attnMask: am, keyPaddingMask: kpm }) as [Tensor, Tensor])),
  },
  sequentialMlp: {
    make: () =>
      new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3), new nn.LogSoftmax(1)),
  },
  sequentialCnn: {
    make: () =>
      new nn.Sequential(
        new nn.Conv2d(1, 4, 3, { padding: 1 }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(4 * 3 * 3, 5),
      ),
  },
  conv2dPositional: { make: () => new nn.Conv2d(2, 3, 3, 2, 1) },
  conv2dReflect: { make: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'reflect' }) },
  conv2dSame: { make: () => new nn.Conv2d(2, 3, [3, 4], { padding: 'same', dilation: [1, 2] }) },
  conv3d: { make: () => new nn.Conv3d(2, 3, 2, { stride: [1, 2, 1], padding: 1 }) },
  convTranspose1d: {
    make: () => new nn.ConvTranspose1d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  },
  convTranspose2d: {
    make: () =>
      new nn.ConvTranspose2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 0], groups: 2, dilation: [1, 2] }),
  },
  linearPositionalNoBias: { make: () => new nn.Linear(3, 2, false) },
  maxPool2dCeil: { make: () => new nn.MaxPool2d(3, 2, { ceilMode: true }) },
  maxPool2dDilated: { make: () => new nn.MaxPool2d(2, 1, 1, 2) },
  maxPool1d: { make: () => new nn.MaxPool1d(3, 2, 1) },
  maxPool3d: { make: () => new nn.MaxPool3d(2) },
  maxPool2dIndices: {
    make: () => new nn.MaxPool2d(2, { returnIndices: true }),
    run: (m, x) => {
      const [v, i] = m.call(x) as unknown as [Tensor, Tensor];
      return flat(v, i.to(x.dtype));
    },
  },
  avgPool2dCeilNoPad: { make: () => new nn.AvgPool2d(3, 2, 1, true, false) },
  avgPool2dDivisor: { make: () => new nn.AvgPool2d(2, { divisorOverride: 3 }) },
  avgPool1d: { make: () => new nn.AvgPool1d(3, 2, 1) },
  avgPool3d: { make: () => new nn.AvgPool3d(2, 1) },
  adaptiveMaxPool2d: { make: () => new nn.AdaptiveMaxPool2d([2, 3]) },
  instanceNorm2d: { make: () => new nn.InstanceNorm2d(3, { affine: true }) },
  instanceNorm1dStats: {
    make: () => new nn.InstanceNorm1d(3, { trackRunningStats: true }),
  },
  layerNormPositional: { make: () => new nn.LayerNorm(6, 1e-3) },
  batchNorm1dPositional: { make: () => new nn.BatchNorm1d(4, 1e-3, 0.2) },
  upsampleNearest: { make: () => new nn.Upsample({ scaleFactor: 2 }) },
  upsampleBilinear: { make: () => new nn.Upsample({ size: [5, 4], mode: 'bilinear', alignCorners: false }) },
  pixelShuffle: { make: () => new nn.PixelShuffle(2) },
  unflatten: { make: () => new nn.Unflatten(1, [2, 3]) },
  activations: {
    make: () => new nn.Sequential(new nn.CELU(0.5), new nn.Hardtanh(-0.5, 0.8), new nn.LeakyReLU(0.2)),
  },
  activations2: {
    make: () => new nn.Sequential(new nn.SELU(), new nn.Mish(), new nn.Softplus(2, 1), new nn.Softsign()),
  },
  activations3: {
    make: () =>
      new nn.Sequential(new nn.Hardswish(), new nn.ReLU6(), new nn.ELU(0.7), new nn.GLU(), new nn.Softmin(1)),
  },
  transformerEncoderLayer: {
    make: () => new nn.TransformerEncoderLayer(8, 2, 16, 0, { batchFirst: true }),
  },
  transformerEncoderLayerNormFirst: {
    make: () =>
      new nn.TransformerEncoderLayer(8, 4, {
        dimFeedforward: 12,
        dropout: 0,
        activation: 'gelu',
        normFirst: true,
      }),
  },
  batchNorm3d: { make: () => new nn.BatchNorm3d(3), run: withStats },
  batchNorm3dEval: { make: () => new nn.BatchNorm3d(2) },
  instanceNorm3d: { make: () => new nn.InstanceNorm3d(3, { affine: true }) },
  instanceNorm2dUnbatched: { make: () => new nn.InstanceNorm2d(3, { affine: true }) },
  instanceNorm1dUnbatched: { make: () => new nn.InstanceNorm1d(4) },
  prelu: { make: () => new nn.PReLU() },
  preluChannels: { make: () => new nn.PReLU(3, 0.1) },
  shrinks: { make: () => new nn.Sequential(new nn.Softshrink(0.3), new nn.Tanhshrink()) },
  hardshrink: { make: () => new nn.Hardshrink(0.4) },
  threshold: { make: () => new nn.Threshold(0.1, -2) },
  adaptiveAvgPool1d: { make: () => new nn.AdaptiveAvgPool1d(3) },
  adaptiveMaxPool1d: { make: () => new nn.AdaptiveMaxPool1d(4) },
  zeroPad2d: { make: () => new nn.ZeroPad2d([1, 2, 0, 1]) },
  constantPad1d: { make: () => new nn.ConstantPad1d(2, 3.5) },
  constantPad3d: { make: () => new nn.ConstantPad3d([1, 0, 0, 1, 1, 1], -1) },
  reflectionPad1d: { make: () => new nn.ReflectionPad1d([2, 1]) },
  reflectionPad2d: { make: () => new nn.ReflectionPad2d(1) },
  replicationPad1d: { make: () => new nn.ReplicationPad1d([1, 3]) },
  replicationPad2d: { make: () => new nn.ReplicationPad2d([2, 0, 1, 1]) },
  replicationPad3d: { make: () => new nn.ReplicationPad3d(1) },
  localResponseNorm: { make: () => new nn.LocalResponseNorm(3, 1e-2, 0.7, 2.0) },
  localResponseNorm4d: { make: () => new nn.LocalResponseNorm(4) },
  pdist: { make: () => new nn.Identity(), run: (_m, x) => F.pdist(x!) },
  rreluEval: { make: () => new nn.RReLU(0.1, 0.3) },
  rreluFunctional: { make: () => new nn.Identity(), run: (_m, x) => F.rrelu(x!, 0.2, 0.4) },
  fUpsampleNearest: {
    make: () => new nn.Identity(),
    run: (_m, x) => F.upsampleNearest(x!, { scaleFactor: 2 }),
  },
  fUpsampleBilinear: {
    make: () => new nn.Identity(),
    run: (_m, x) => F.upsampleBilinear(x!, { size: [5, 7] }),
  },
  fUpsample: {
    make: () => new nn.Identity(),
    run: (_m, x) => F.upsample(x!, { scaleFactor: 2, mode: 'linear' }),
  },
  pdistP1: { make: () => new nn.Identity(), run: (_m, x) => F.pdist(x!, 1) },
  affineGrid: {
    make: () => new nn.Identity(),
    run: (_m, t) => F.affineGrid(t!, [2, 3, 4, 5], { alignCorners: false }),
  },
  affineGridAligned: {
    make: () => new nn.Identity(),
    run: (_m, t) => F.affineGrid(t!, [1, 1, 3, 2], { alignCorners: true }),
  },
  gridSample: {
    make: () => new nn.Identity(),
    run: (_m, x, g) => F.gridSample(x!, g!, { alignCorners: false }),
  },
  gridSampleBorderAligned: {
    make: () => new nn.Identity(),
    run: (_m, x, g) => F.gridSample(x!, g!, { paddingMode: 'border', alignCorners: true }),
  },
  gridSampleNearest: {
    make: () => new nn.Identity(),
    run: (_m, x, g) => F.gridSample(x!, g!, { mode: 'nearest', alignCorners: false }),
  },
  cosineSimilarity: { make: () => new nn.CosineSimilarity({ dim: 1 }) },
  cosineSimilarityBroadcast: { make: () => new nn.CosineSimilarity(-1, 1e-6) },
  pairwiseDistance: { make: () => new nn.PairwiseDistance() },
  pairwiseDistanceP1: { make: () => new nn.PairwiseDistance(1, 1e-6, true) },
  unfoldLayer: { make: () => new nn.Unfold([2, 3], { padding: 1, stride: 2 }) },
  foldLayer: { make: () => new nn.Fold([4, 5], 2, { stride: 1 }) },
  upsamplingNearest2d: { make: () => new nn.UpsamplingNearest2d({ scaleFactor: 2 }) },
  upsamplingBilinear2d: { make: () => new nn.UpsamplingBilinear2d([5, 4]) },
  softmax2d: { make: () => new nn.Softmax2d() },
  bilinear: { make: () => new nn.Bilinear(3, 4, 5) },
  bilinearBatched: { make: () => new nn.Bilinear(2, 3, 2, false) },
  transformerDecoderLayer: { make: () => new nn.TransformerDecoderLayer(8, 2, 16, 0, { batchFirst: true }) },
  transformerDecoderLayerNormFirst: {
    make: () =>
      new nn.TransformerDecoderLayer(8, 4, {
        dimFeedforward: 12,
        dropout: 0,
        activation: 'gelu',
        normFirst: true,
      }),
  },
  transformerDecoder: {
    make: () =>
      new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16, 0), 2, {
        norm: new nn.LayerNorm(8),
      }),
  },
  transformer: { make: () => new nn.Transformer(8, 2, 1, 2, 16, 0, { batchFirst: true }) },
  transformerCausal: {
    make: () => new nn.Transformer(8, 2, 1, 1, 16, 0),
    run: (m, s, t) =>
      (m as hg.nn.Transformer).forward(s!, t!, {
        tgtMask: hg.nn.Transformer.generateSquareSubsequentMask(4),
      }),
  },
  embeddingBagMean: { make: () => new nn.EmbeddingBag(10, 3) },
  embeddingBagSumWeighted: { make: () => new nn.EmbeddingBag(10, 3, { mode: 'sum' }) },
  embeddingBagMaxPadding: { make: () => new nn.EmbeddingBag(10, 3, { mode: 'max', paddingIdx: 2 }) },
  embeddingBagMeanLastOffset: {
    make: () => new nn.EmbeddingBag(6, 4, { mode: 'mean', includeLastOffset: true, paddingIdx: 0 }),
  },
  lpPool2d: { make: () => new nn.LPPool2d(2, 2) },
  lpPool1d: { make: () => new nn.LPPool1d(3, 3, { stride: 2, ceilMode: true }) },
  transformerEncoder: {
    make: () =>
      new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, 0, { batchFirst: true }), 2, {
        norm: new nn.LayerNorm(8),
      }),
  },
};

type LossFn = (...xs: Tensor[]) => Tensor;
const reductions = ['mean', 'sum', 'none'] as const;

export const LOSS_CASES: Record<string, LossFn> = {
  multiMargin: (a, y) => F.multiMarginLoss(a, y!),
  multiMarginP2Weighted: (a, y, w) => new nn.MultiMarginLoss(2, 0.7, w!, 'sum').forward(a, y!),
  multiMarginNone: (a, y) => F.multiMarginLoss(a, y!, { reduction: 'none' }),
  multilabelMargin: (a, y) => F.multilabelMarginLoss(a, y!),
  multilabelMarginNone: (a, y) => new nn.MultiLabelMarginLoss({ reduction: 'none' }).forward(a, y!),
  tripletMarginWithDistance: (a, p, n) => F.tripletMarginWithDistanceLoss(a, p!, n!),
  tripletMarginWithCosine: (a, p, n) =>
    new nn.TripletMarginWithDistanceLoss({
      distanceFunction: (x: Tensor, y: Tensor) => F.cosineSimilarity(x, y).neg().add(1),
      margin: 0.5,
      swap: true,
      reduction: 'sum',
    }).forward(a, p!, n!),
  klDiv_batchmean: (a, t) => F.klDiv(a.logSoftmax(1), t, { reduction: 'batchmean' }),
  klDiv_logTarget: (a, t) =>
    F.klDiv(a.logSoftmax(1), t.logSoftmax(1), { reduction: 'batchmean', logTarget: true }),
  crossEntropyHugeLogits: (a, t) => F.crossEntropy(a.mul(1e4), t),
  bceWithLogitsHuge: (a, y) => F.binaryCrossEntropyWithLogits(a.mul(1e4), y),
  crossEntropyPositionalWeight: (a, t, w) => F.crossEntropy(a, t, w),
  huberPositional: (a, b) => F.huberLoss(a, b, 'sum', 0.4),
  softMargin_mean: (a, y) => F.softMarginLoss(a, y),
  softMargin_sum: (a, y) => F.softMarginLoss(a, y, 'sum'),
  softMargin_none: (a, y) => F.softMarginLoss(a, y, { reduction: 'none' }),
  tripletMargin_mean: (a, p, n) => F.tripletMarginLoss(a, p, n),
  tripletMargin_sum: (a, p, n) => F.tripletMarginLoss(a, p, n, { reduction: 'sum' }),
  tripletMargin_none: (a, p, n) => new nn.TripletMarginLoss({ reduction: 'none' }).forward(a, p, n),
  multilabelSoftMargin: (a, y) => new nn.MultiLabelSoftMarginLoss().forward(a, y),
  multilabelSoftMarginWeighted: (a, y, w) => F.multilabelSoftMarginLoss(a, y, w, 'sum'),
  hingeEmbedding: (a, y) => new nn.HingeEmbeddingLoss(0.8).forward(a, y),
  poissonNll: (a, y) => F.poissonNllLoss(a, y),
  poissonNllFull: (a, y) => new nn.PoissonNLLLoss(false, true, { reduction: 'sum' }).forward(a, y),
  gaussianNll: (a, y, v) => new nn.GaussianNLLLoss().forward(a, y, v),
  gaussianNllHomoscedastic: (a, y, v) => F.gaussianNllLoss(a, y, v, { full: true, reduction: 'none' }),
  marginRanking: (a, b, y) => new nn.MarginRankingLoss(0.3).forward(a, b, y),
  cosineEmbedding: (a, b, y) => F.cosineEmbeddingLoss(a, b, y, { margin: 0.2 }),
  tripletMarginSwapP1: (a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 0.5, p: 1, swap: true }),
};
for (const r of reductions) {
  Object.assign(LOSS_CASES, {
    [`mse_${r}`]: (a: Tensor, b: Tensor) => F.mseLoss(a, b, r),
    [`l1_${r}`]: (a: Tensor, b: Tensor) => F.l1Loss(a, b, r),
    [`smoothL1_${r}`]: (a: Tensor, b: Tensor) => F.smoothL1Loss(a, b, r, 0.5),
    [`huber_${r}`]: (a: Tensor, b: Tensor) => F.huberLoss(a, b, r, 0.7),
    [`crossEntropy_${r}`]: (a: Tensor, t: Tensor) => F.crossEntropy(a, t, { reduction: r }),
    [`crossEntropyWeighted_${r}`]: (a: Tensor, t: Tensor, w: Tensor) =>
      F.crossEntropy(a, t, { weight: w, reduction: r, ignoreIndex: 2 }),
    [`crossEntropySmoothing_${r}`]: (a: Tensor, t: Tensor, w: Tensor) =>
      F.crossEntropy(a, t, { weight: w, reduction: r, labelSmoothing: 0.2, ignoreIndex: 1 }),
    [`crossEntropyProbs_${r}`]: (a: Tensor, p: Tensor) =>
      F.crossEntropy(a, p, { reduction: r, labelSmoothing: 0.1 }),
    [`crossEntropySpatial_${r}`]: (a: Tensor, t: Tensor) => F.crossEntropy(a, t, { reduction: r }),
    [`nll_${r}`]: (a: Tensor, t: Tensor) => F.nllLoss(a.logSoftmax(1), t, { reduction: r }),
    [`bce_${r}`]: (a: Tensor, y: Tensor, w: Tensor) =>
      F.binaryCrossEntropy(a.sigmoid(), y, { weight: w, reduction: r }),
    [`bceWithLogits_${r}`]: (a: Tensor, y: Tensor, pw: Tensor) =>
      F.binaryCrossEntropyWithLogits(a, y, { posWeight: pw, reduction: r }),
    [`klDiv_${r}`]: (a: Tensor, t: Tensor) => F.klDiv(a.logSoftmax(1), t, { reduction: r }),
  });
}
