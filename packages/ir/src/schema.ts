// The graph document: one zod schema from which the TypeScript types derive. A document is
// metadata, nodes (kind + params + editor position), edges between named ports, and the
// training configuration. The data comes from the graph's Dataset node (its params name the
// dataset and how it is made); the training section says how to train on it. Weights never
// live in the document.
import { z } from 'zod';

export const CURRENT_VERSION = 3;

const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits, _ . : -');
const Finite = z.number().finite();

export const NodeSchema = z.strictObject({
  id: Id,
  kind: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.strictObject({ x: Finite, y: Finite }),
  group: Id.optional(),
});

export const PortRefSchema = z.strictObject({ node: Id, port: z.string().min(1).max(100) });

export const EdgeSchema = z.strictObject({
  id: Id,
  source: PortRefSchema,
  target: PortRefSchema,
});

/** A reusable subgraph: GroupInput and GroupOutput nodes inside it become the ports of every
 * Group node that instantiates it (each instance has its own weights). */
export const SubgraphSchema = z.strictObject({
  id: Id,
  name: z.string().max(200),
  nodes: z.array(NodeSchema).max(10000),
  edges: z.array(EdgeSchema).max(50000),
});

const Rate = z.number().min(0).max(1);
const WeightDecay = z.number().min(0).max(10).describe('L2 penalty on the weights');
const Eps = z.number().positive().max(1).describe('Added to denominators for stability');

/** Each optimizer's extra hyperparameters (its lr is separate), PyTorch's names in camelCase. */
export const OPTIMIZER_PARAMS = {
  sgd: z.strictObject({
    momentum: Rate.optional().describe('Momentum factor'),
    dampening: Rate.optional().describe('Dampening of the momentum'),
    weightDecay: WeightDecay.optional(),
    nesterov: z.boolean().optional().describe('Nesterov momentum (needs momentum and no dampening)'),
  }),
  adam: z.strictObject({
    betas: z
      .tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)])
      .optional()
      .describe('Decay rates of the first and second moment estimates'),
    eps: Eps.optional(),
    weightDecay: WeightDecay.optional(),
    amsgrad: z.boolean().optional().describe('Use the maximum of past squared gradients'),
  }),
  rmsprop: z.strictObject({
    alpha: Rate.optional().describe('Smoothing constant'),
    eps: Eps.optional(),
    weightDecay: WeightDecay.optional(),
    momentum: Rate.optional().describe('Momentum factor'),
    centered: z.boolean().optional().describe('Normalise by the estimated variance'),
  }),
  adagrad: z.strictObject({
    lrDecay: z.number().min(0).max(1).optional().describe('Learning-rate decay'),
    weightDecay: WeightDecay.optional(),
    initialAccumulatorValue: z.number().min(0).max(1e6).optional().describe('Starting sum of squares'),
    eps: Eps.optional(),
  }),
};
const Lr = z.number().positive().max(10).describe('Learning rate');
export const OptimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sgd'), lr: Lr, params: OPTIMIZER_PARAMS.sgd.default({}) }),
  z.strictObject({ kind: z.literal('adam'), lr: Lr, params: OPTIMIZER_PARAMS.adam.default({}) }),
  z.strictObject({ kind: z.literal('adamw'), lr: Lr, params: OPTIMIZER_PARAMS.adam.default({}) }),
  z.strictObject({ kind: z.literal('rmsprop'), lr: Lr, params: OPTIMIZER_PARAMS.rmsprop.default({}) }),
  z.strictObject({ kind: z.literal('adagrad'), lr: Lr, params: OPTIMIZER_PARAMS.adagrad.default({}) }),
]);
export type OptimizerConfig = z.infer<typeof OptimizerSchema>;
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;

const Positive = z.number().positive().max(1e6);
/** step, exponential, cosine and linear (warm-up) advance per epoch; onecycle per step. */
export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('step'),
    params: z
      .strictObject({
        stepSize: z.number().int().min(1).max(1e6).optional().describe('Epochs between decays'),
        gamma: Positive.optional().describe('Factor applied at each decay'),
      })
      .default({}),
  }),
  z.strictObject({
    kind: z.literal('exponential'),
    params: z.strictObject({ gamma: Positive.optional().describe('Factor applied every epoch') }).default({}),
  }),
  z.strictObject({
    kind: z.literal('cosine'),
    params: z
      .strictObject({
        tMax: z.number().int().min(1).max(1e6).optional().describe('Epochs of one half cosine'),
        etaMin: z.number().min(0).max(10).optional().describe('Lowest learning rate'),
      })
      .default({}),
  }),
  z.strictObject({
    kind: z.literal('linear'),
    params: z
      .strictObject({
        startFactor: z.number().gt(0).max(1).optional().describe('Factor of the first epoch'),
        endFactor: z.number().min(0).max(1).optional().describe('Factor after the warm-up'),
        totalIters: z.number().int().min(1).max(1e6).optional().describe('Epochs of the warm-up'),
      })
      .default({}),
  }),
  z.strictObject({
    kind: z.literal('onecycle'),
    params: z
      .strictObject({
        maxLr: z.number().positive().max(10).optional().describe('Peak learning rate'),
        pctStart: z.number().gt(0).lt(1).optional().describe('Share of the steps spent warming up'),
      })
      .default({}),
  }),
]);

/** How the graph's Dataset node is trained on: split, optimizer, schedule, batches, epochs. */
export const TrainingSchema = z.strictObject({
  /** The share of the samples held out for validation. */
  validationSplit: z.number().min(0).max(0.9).default(0.2),
  optimizer: OptimizerSchema,
  schedule: ScheduleSchema.optional(),
  batchSize: z.number().int().min(1).max(65536),
  epochs: z.number().int().min(1).max(100000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  device: z.enum(['cpu', 'webgpu']).default('cpu'),
});

/** A metric as the charts keep it: null where it was not finite or not measured (a gap). */
const Metric = z.number().finite().nullable();
const Count = z.number().int().min(0).max(1e12);

/** One epoch of a recorded run. */
export const RunEpochSchema = z.strictObject({
  epoch: Count,
  step: Count,
  trainLoss: Metric,
  trainAccuracy: Metric,
  valLoss: Metric,
  valAccuracy: Metric,
  lr: Metric,
});

/**
 * One training run: from the weights it started on until they were reset (or the graph was
 * loaded afresh). Kept in the document so runs can be compared and their settings restored;
 * it is history, not an edit (undo does not remove it).
 */
export const RunRecordSchema = z.strictObject({
  id: Id,
  name: z.string().max(200),
  /** ISO time the run started. */
  started: z.string().max(40),
  /** The training settings the run started with. */
  training: TrainingSchema,
  /** Which graph it trained: a hash of the model (nodes, params, edges), and its parameter count. */
  model: z.string().max(64),
  params: Count,
  epochs: z.array(RunEpochSchema).max(100000),
  /** The loss per step, as the mean of each block of `every` steps (at most 1000 points). */
  loss: z.strictObject({ every: z.number().int().min(1).max(1e12), values: z.array(Metric).max(1000) }),
  /** What the run did last. */
  state: z.enum(['training', 'paused', 'stopped', 'finished']),
  /** Why it ended, when the weights moved on to another run (Reset weights, a fresh load). */
  ended: z.string().max(200).optional(),
  /** Settings or graph changes made during the run, with the step they applied from. */
  changes: z
    .array(z.strictObject({ step: Count, what: z.string().max(1000) }))
    .max(1000)
    .default([]),
});

export const DocumentSchema = z.strictObject({
  format: z.literal('hgrad'),
  version: z.number().int(),
  metadata: z.strictObject({
    name: z.string().max(200),
    description: z.string().max(10000).default(''),
    created: z.string().optional(),
    modified: z.string().optional(),
  }),
  nodes: z.array(NodeSchema).max(10000),
  edges: z.array(EdgeSchema).max(50000),
  subgraphs: z.array(SubgraphSchema).max(1000).optional(),
  training: TrainingSchema.optional(),
  weights: z.string().optional(),
  /**
   * Which way data flows on the canvas (editor only): left to right (the default) or top to
   * bottom. Ports face that way, and automatic layout arranges the layers in that direction.
   */
  layout: z.enum(['LR', 'TB'], { error: "must be 'LR' (left to right) or 'TB' (top to bottom)" }).optional(),
  /** The training runs recorded with the document, oldest first (the studio keeps the last 50). */
  runs: z.array(RunRecordSchema).max(1000).optional(),
});

export type GraphNode = z.infer<typeof NodeSchema>;
export type GraphEdge = z.infer<typeof EdgeSchema>;
export type Subgraph = z.infer<typeof SubgraphSchema>;
export type PortRef = z.infer<typeof PortRefSchema>;
export type TrainingConfig = z.infer<typeof TrainingSchema>;
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type RunEpoch = z.infer<typeof RunEpochSchema>;
export type GraphDocument = z.infer<typeof DocumentSchema>;

/** A JSON Schema of the document, for tools outside the project. */
export const documentJsonSchema = (): unknown => z.toJSONSchema(DocumentSchema, { io: 'input' });
