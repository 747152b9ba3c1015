// The requests the UI sends the training runtime, as zod schemas: the schema is the validator at
// the worker's edge and the TypeScript type (z.infer). Every request carries the protocol version
// and an id, and gets exactly one reply; unknown fields are refused, not ignored.
import { z } from 'zod';
import { DEBUG_ACTIONS, DEBUG_ROLES } from './debug.ts';

export const RUNTIME_PROTOCOL_VERSION = 1;

const Buffer = z.instanceof(ArrayBuffer, { error: 'must be an ArrayBuffer' });
const Int = (min: number, max: number, what = `an integer in ${min}..${max}`) =>
  z
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .min(min, { error: `must be ${what}` })
    .max(max, { error: `must be ${what}` });
const Seed = Int(0, 2 ** 32 - 1, 'a seed in 0..4294967295');

export const InspectTargetSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('output'), nodeId: z.string(), port: z.string() }),
    z.strictObject({ kind: z.literal('parameter'), name: z.string() }),
    z.strictObject({ kind: z.literal('gradient'), name: z.string() }),
    /** A tensor of a step-through step, by the step's index in the plan, its role and name. */
    z.strictObject({
      kind: z.literal('debug'),
      step: Int(-1, 1_000_000),
      role: z.enum(DEBUG_ROLES, { error: `must be one of ${DEBUG_ROLES.join(', ')}` }),
      name: z.string(),
    }),
  ],
  {
    error:
      "must be {kind: 'output', nodeId, port}, {kind: 'parameter'|'gradient', name} or {kind: 'debug', step, role, name}",
  },
);
export type InspectTarget = z.infer<typeof InspectTargetSchema>;

const envelope = { v: z.literal(RUNTIME_PROTOCOL_VERSION), id: Int(0, Number.MAX_SAFE_INTEGER) };
const request = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...envelope, ...shape });

export const RuntimeRequestSchema = z.discriminatedUnion('type', [
  request('load', {
    document: z.unknown(),
    seed: Seed.optional(),
    /**
     * Continue the loaded run in the new graph: parameters whose name and shape are unchanged keep
     * their values and optimizer state, and with the same data the counters continue (an edit).
     */
    continueRun: z.boolean().optional(),
    files: z
      .strictObject({
        text: z.string().optional(),
        fashionImages: Buffer.optional(),
        fashionLabels: Buffer.optional(),
        /** Fashion-MNIST's t10k split: the test results (never trained or validated on). */
        fashionTestImages: Buffer.optional(),
        fashionTestLabels: Buffer.optional(),
        /** The text of the user's table that the document's Dataset names. */
        table: z.string().optional(),
        /** The user's image folder, decoded at import (pixels [n, C, size, size] and class indices). */
        images: z
          .strictObject({
            pixels: z.instanceof(Float32Array, { error: 'must be a Float32Array' }),
            labels: z.array(z.number().int().min(0)),
          })
          .optional(),
      })
      .optional(),
  }),
  request('start', {}),
  request('pause', {}),
  request('stop', {}),
  request('step', { steps: Int(1, 1_000_000) }),
  request('runEpoch', {}),
  request('evaluate', {}),
  request('setHyperparameters', {
    lr: z.number().gt(0, { error: 'must be in (0, 10]' }).max(10, { error: 'must be in (0, 10]' }).optional(),
    batchSize: Int(1, 65536).optional(),
  }),
  request('resetWeights', { seed: Seed.optional() }),
  request('getWeights', {}),
  request('loadWeights', { safetensors: Buffer }),
  /** The whole run's state (weights, optimizer, schedule, counters, data order), to persist. */
  request('snapshot', {}),
  /** Continues a run from a snapshot of the same graph (after a reload or a crash). */
  request('restoreSnapshot', { weights: Buffer, state: z.string().max(200_000_000) }),
  /** A node output (port), a parameter or a parameter's gradient, from the latest step. */
  request('inspect', { target: InspectTargetSchema, full: z.boolean().optional() }),
  /**
   * The step-through debugger on one batch (the first `samples` of the training split): start,
   * step forward or back, jump to a step of the plan, run to the end, stop.
   */
  request('debug', {
    action: z.enum(DEBUG_ACTIONS, { error: `must be one of ${DEBUG_ACTIONS.join(', ')}` }),
    index: Int(-1, 1_000_000, 'a step of the plan, or −1').optional(),
    samples: Int(1, 4096).optional(),
  }),
  /**
   * What the model predicts on the validation split or the dataset's own test split: loss,
   * accuracy, confusion matrix, per-class precision/recall, misclassified samples (with their
   * inputs, up to `examples`), regression pairs.
   */
  request('report', {
    split: z.enum(['validation', 'test'], { error: "must be 'validation' or 'test'" }),
    examples: Int(0, 1000).optional(),
  }),
  /** Reads a table the user chose (columns, numbers, preview, malformed lines), off the page's thread. */
  request('scanTable', {
    text: z.string(),
    delimiter: z.enum([',', '\t', ';', '|'], { error: 'must be one of , tab ; |' }).optional(),
  }),
  /**
   * Decodes an image folder's files (path "class/file", as the folder picker gives them below the
   * folder) into samples of size × size, off the page's thread; unreadable files are listed.
   */
  request('decodeImages', {
    files: z
      .array(
        z.strictObject({
          path: z.string().min(1).max(1000),
          blob: z.instanceof(Blob, { error: 'must be a Blob' }),
        }),
      )
      .min(1)
      .max(200_000),
    size: Int(4, 256),
    channels: z.union([z.literal(1), z.literal(3)], { error: 'must be 1 or 3' }),
  }),
  /** Measures a table for its spec (classes, feature stats), or lists the lines it cannot use. */
  request('measureTable', { text: z.string(), choice: z.unknown() }),
  /** The model on one sample of the person's own (a drawn image, a typed row), in evaluation mode. */
  request('predict', { values: z.array(z.number()).max(1_000_000) }),
  /**
   * Checks a node's gradient as a learner would by hand: autograd against central finite
   * differences in float64, on a few entries of its parameters and inputs (from the latest step).
   */
  request('gradcheck', { nodeId: z.string().min(1).max(200) }),
  /** A character model continues the prompt by `length` sampled characters. */
  request('generate', {
    prompt: z.string().max(10_000),
    length: Int(1, 2000),
    temperature: z
      .number({ error: 'must be a number in [0.05, 5]' })
      .min(0.05, { error: 'must be a number in [0.05, 5]' })
      .max(5, { error: 'must be a number in [0.05, 5]' }),
    seed: Seed.optional(),
  }),
  /** The first `count` training samples, for the dataset preview. */
  request('samples', { count: Int(1, 256) }),
  /** For 2-D classification data: the model's class and confidence on a grid, and some training points. */
  request('decisionBoundary', { resolution: Int(2, 256) }),
  /**
   * Time travel: the studio looks at the run as it was at a kept snapshot (`step`, one of the
   * 'history' event's), or back at the live run (null). Inspection, predictions, reports and the
   * decision boundary then answer for that snapshot; training pauses, and anything that changes
   * the model returns to live.
   */
  request('travel', { step: Int(0, Number.MAX_SAFE_INTEGER, 'a snapshot step').nullable() }),
  /** Stops a long request (step, runEpoch); it then fails with a CancelledError. */
  request('cancel', { requestId: Int(0, Number.MAX_SAFE_INTEGER, 'the id of a request') }),
]);

export type RuntimeRequest = z.infer<typeof RuntimeRequestSchema>;
export type RuntimeRequestType = RuntimeRequest['type'];
type WithoutEnvelope<T> = T extends unknown ? Omit<T, 'v' | 'id'> : never;
/** A request as the client sends it (the client adds the version and id). */
export type RuntimeRequestBody = WithoutEnvelope<RuntimeRequest>;

/**
 * How the runtime treats each request: `mutating` ones change the model or the run (they wait for
 * a long request and close an open step-through); `long` ones run in slices and can be cancelled.
 */
export const REQUEST_KINDS = {
  load: { mutating: true, long: false },
  start: { mutating: true, long: false },
  pause: { mutating: false, long: false },
  stop: { mutating: false, long: false },
  step: { mutating: true, long: true },
  runEpoch: { mutating: true, long: true },
  evaluate: { mutating: false, long: false },
  setHyperparameters: { mutating: true, long: false },
  resetWeights: { mutating: true, long: false },
  getWeights: { mutating: false, long: false },
  loadWeights: { mutating: true, long: false },
  snapshot: { mutating: false, long: false },
  restoreSnapshot: { mutating: true, long: false },
  inspect: { mutating: false, long: false },
  debug: { mutating: true, long: false },
  report: { mutating: false, long: false },
  scanTable: { mutating: false, long: false },
  decodeImages: { mutating: false, long: false },
  predict: { mutating: false, long: false },
  gradcheck: { mutating: false, long: false },
  generate: { mutating: false, long: false },
  measureTable: { mutating: false, long: false },
  samples: { mutating: false, long: false },
  decisionBoundary: { mutating: false, long: false },
  travel: { mutating: false, long: false },
  cancel: { mutating: false, long: false },
} as const satisfies Record<RuntimeRequestType, { mutating: boolean; long: boolean }>;

const formatPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** Validates a request at the worker's edge; the error names the request type and the field at fault. */
export function parseRuntimeRequest(
  data: unknown,
): { ok: true; request: RuntimeRequest } | { ok: false; id: number; error: string } {
  if (typeof data !== 'object' || data === null)
    return { ok: false, id: -1, error: 'message must be an object' };
  const m = data as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isInteger(m.id) && m.id >= 0 ? m.id : -1;
  if (id < 0) return { ok: false, id, error: 'message id must be a non-negative integer' };
  if (m.v !== RUNTIME_PROTOCOL_VERSION)
    return {
      ok: false,
      id,
      error: `unsupported protocol version ${String(m.v)} (expected ${RUNTIME_PROTOCOL_VERSION})`,
    };
  if (typeof m.type !== 'string' || !Object.hasOwn(REQUEST_KINDS, m.type))
    return {
      ok: false,
      id,
      error: `unknown request type ${JSON.stringify(m.type)} (known: ${Object.keys(REQUEST_KINDS).join(', ')})`,
    };
  const parsed = RuntimeRequestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issue.path);
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
        : `${field} ${issue.message}`;
    return { ok: false, id, error: `${m.type}: ${message}` };
  }
  const request = parsed.data;
  if (request.type === 'debug' && request.action === 'jump' && request.index === undefined)
    return { ok: false, id, error: 'debug: jump needs an index (a step of the plan, or −1)' };
  return { ok: true, request };
}
