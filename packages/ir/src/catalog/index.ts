// The node catalog: every node kind the editor offers, keyed by kind name. Each kind lives in
// its own file under kinds/; rules/ holds what several kinds share.
import type { NodeKind } from './types.ts';
import { Dataset } from './kinds/dataset.ts';
import { Linear } from './kinds/linear.ts';
import { Conv2d } from './kinds/conv2d.ts';
import { MaxPool2d } from './kinds/max-pool2d.ts';
import { AvgPool2d } from './kinds/avg-pool2d.ts';
import { AdaptiveAvgPool2d } from './kinds/adaptive-avg-pool2d.ts';
import { BatchNorm1d } from './kinds/batch-norm1d.ts';
import { BatchNorm2d } from './kinds/batch-norm2d.ts';
import { LayerNorm } from './kinds/layer-norm.ts';
import { GroupNorm } from './kinds/group-norm.ts';
import { Embedding } from './kinds/embedding.ts';
import { RNN } from './kinds/rnn.ts';
import { GRU } from './kinds/gru.ts';
import { LSTM } from './kinds/lstm.ts';
import { SelfAttention } from './kinds/self-attention.ts';
import { ReLU } from './kinds/relu.ts';
import { Tanh } from './kinds/tanh.ts';
import { Sigmoid } from './kinds/sigmoid.ts';
import { SiLU } from './kinds/silu.ts';
import { GELU } from './kinds/gelu.ts';
import { LeakyReLU } from './kinds/leaky-relu.ts';
import { ELU } from './kinds/elu.ts';
import { Softplus } from './kinds/softplus.ts';
import { Hardswish } from './kinds/hardswish.ts';
import { Mish } from './kinds/mish.ts';
import { Dropout } from './kinds/dropout.ts';
import { Softmax } from './kinds/softmax.ts';
import { Add } from './kinds/add.ts';
import { Sub } from './kinds/sub.ts';
import { Mul } from './kinds/mul.ts';
import { Div } from './kinds/div.ts';
import { Mean } from './kinds/mean.ts';
import { Sum } from './kinds/sum.ts';
import { Max } from './kinds/max.ts';
import { Flatten } from './kinds/flatten.ts';
import { Reshape } from './kinds/reshape.ts';
import { Concat } from './kinds/concat.ts';
import { Split } from './kinds/split.ts';
import { Slice } from './kinds/slice.ts';
import { CrossEntropyLoss } from './kinds/cross-entropy-loss.ts';
import { MSELoss } from './kinds/mse-loss.ts';
import { L1Loss } from './kinds/l1-loss.ts';
import { BCEWithLogitsLoss } from './kinds/bce-with-logits-loss.ts';
import { Group } from './kinds/group.ts';
import { GroupInput } from './kinds/group-input.ts';
import { GroupOutput } from './kinds/group-output.ts';

/**
 * Every node kind, keyed by its name, in palette order (data, layers, activations, math and
 * shape, losses, groups). Adding a kind means one file under kinds/ and one entry here; the
 * key must equal the kind's own name (checked below), and the engine's table in @hgrad/train is
 * typed over these keys, so a kind it cannot run is a compile error there.
 */
export const KINDS = {
  Dataset,
  Linear,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  GroupNorm,
  Embedding,
  RNN,
  GRU,
  LSTM,
  SelfAttention,
  ReLU,
  Tanh,
  Sigmoid,
  SiLU,
  GELU,
  LeakyReLU,
  ELU,
  Softplus,
  Hardswish,
  Mish,
  Dropout,
  Softmax,
  Add,
  Sub,
  Mul,
  Div,
  Mean,
  Sum,
  Max,
  Flatten,
  Reshape,
  Concat,
  Split,
  Slice,
  CrossEntropyLoss,
  MSELoss,
  L1Loss,
  BCEWithLogitsLoss,
  Group,
  GroupInput,
  GroupOutput,
} as const satisfies {
  [K in string]: Pick<NodeKind<never, K>, 'kind' | 'category' | 'backwardRule' | 'infer'>;
};

/** The name of a node kind in the catalog. */
export type KindName = keyof typeof KINDS;
/** The (parsed, defaults filled) params of a node of kind K. */
export type ParamsOf<K extends KindName> = (typeof KINDS)[K] extends NodeKind<infer P, K> ? P : never;
/** A catalog kind, with its params seen as a plain record (how analysis handles any kind). */
export type CatalogKind = NodeKind<Record<string, unknown>, KindName>;

/** Lookup by a name from a document (which may name no kind at all). */
export const CATALOG: ReadonlyMap<string, CatalogKind> = new Map(
  Object.entries(KINDS).map(([name, kind]) => [name, kind as unknown as CatalogKind]),
);

export const isKindName = (name: string): name is KindName => CATALOG.has(name);

export * from './types.ts';
export {
  DATASETS,
  DATASET_NAMES,
  datasetClasses,
  datasetLabels,
  datasetOptions,
  TableSpecSchema,
  ImagesSpecSchema,
  type ImagesSpec,
  type DatasetName,
  type DatasetParams,
  type TableSpec,
} from './kinds/dataset.ts';
export { sliceLength } from './kinds/slice.ts';

/** Params for a newly added node of this kind: its `initial` values, completed with defaults. */
export function initialParams(kind: NodeKind): Record<string, unknown> {
  const parsed = kind.params.safeParse({ ...kind.initial });
  return parsed.success ? (parsed.data as Record<string, unknown>) : { ...kind.initial };
}
export { describeParams, type ParamSpec, type ParamControl } from './describe-params.ts';
