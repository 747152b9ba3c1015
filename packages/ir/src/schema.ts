// The graph document: one zod schema from which the TypeScript types derive. A document is
// metadata, nodes (kind + params + editor position), edges between named ports, and the
// training configuration. Weights never live in the document.
import { z } from 'zod';

export const CURRENT_VERSION = 1;

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

export const TrainingSchema = z.strictObject({
  dataset: z.strictObject({
    name: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    validationSplit: z.number().min(0).max(0.9).default(0.2),
  }),
  optimizer: z.strictObject({
    kind: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']),
    lr: z.number().positive().max(10),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  /** step, exponential, cosine and linear (warm-up) advance per epoch; onecycle per step. */
  schedule: z
    .strictObject({
      kind: z.enum(['step', 'exponential', 'cosine', 'linear', 'onecycle']),
      params: z.record(z.string(), z.number()).default({}),
    })
    .optional(),
  batchSize: z.number().int().min(1).max(65536),
  epochs: z.number().int().min(1).max(100000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  device: z.enum(['cpu', 'webgpu']).default('cpu'),
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
});

export type GraphNode = z.infer<typeof NodeSchema>;
export type GraphEdge = z.infer<typeof EdgeSchema>;
export type Subgraph = z.infer<typeof SubgraphSchema>;
export type PortRef = z.infer<typeof PortRefSchema>;
export type TrainingConfig = z.infer<typeof TrainingSchema>;
export type GraphDocument = z.infer<typeof DocumentSchema>;

/** A JSON Schema of the document, for tools outside the project. */
export const documentJsonSchema = (): unknown => z.toJSONSchema(DocumentSchema, { io: 'input' });
