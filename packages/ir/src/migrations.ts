// Document versions. MIGRATIONS[v] turns a version-v document into version v + 1 and says what
// it changed that a person should know (notes); parse runs them in order up to CURRENT_VERSION.
// Each migration has a fixture test (an old document and the expected upgraded one), and a test
// checks that every version below the current one has its migration.
import { DATASETS, type DatasetName } from './catalog/kinds/dataset.ts';
import { CURRENT_VERSION, OPTIMIZER_PARAMS, ScheduleSchema } from './schema.ts';

type Json = Record<string, unknown>;
export type Migration = (doc: Json) => { doc: Json; notes: string[] };

export const FIRST_VERSION = 1;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/**
 * Version 2 names the dataset once, on the Dataset node (name and options such as samples and
 * noise); version 1 named it twice (the node's name and training.dataset), and the two could
 * disagree. The training section's dataset is what version 1 trained on, so it wins; its
 * validationSplit moves to training.validationSplit. Options the dataset, optimizer or schedule
 * never used (version 1 ignored them) are dropped, each with a note.
 */
function v1ToV2(doc: Json): { doc: Json; notes: string[] } {
  const notes: string[] = [];
  const training = isObject(doc.training) ? { ...doc.training } : undefined;
  const dataset = training && isObject(training.dataset) ? training.dataset : undefined;
  const trainedOn = typeof dataset?.name === 'string' ? dataset.name : undefined;
  const options = isObject(dataset?.params) ? dataset.params : {};

  const migrateNode = (node: unknown): unknown => {
    if (!isObject(node) || node.kind !== 'Dataset' || !isObject(node.params)) return node;
    const own_ = typeof node.params.name === 'string' ? node.params.name : undefined;
    const name = trainedOn ?? own_;
    if (trainedOn && own_ && own_ !== trainedOn)
      notes.push(
        `node ${String(node.id)}: it named '${own_}' but training used '${trainedOn}'; it now names '${trainedOn}'`,
      );
    const params: Json = { ...(name !== undefined ? { name } : {}) };
    const takes = name && Object.hasOwn(DATASETS, name) ? DATASETS[name as DatasetName].options : null;
    for (const [key, value] of Object.entries(options))
      if (takes && Object.hasOwn(takes, key) && typeof value === 'number') params[key] = value;
      else notes.push(`dropped the dataset option '${key}': dataset '${String(name)}' does not use it`);
    return { ...node, params };
  };
  const nodes = Array.isArray(doc.nodes) ? doc.nodes.map(migrateNode) : doc.nodes;
  const subgraphs = Array.isArray(doc.subgraphs)
    ? doc.subgraphs.map((s: unknown) =>
        isObject(s) && Array.isArray(s.nodes) ? { ...s, nodes: s.nodes.map(migrateNode) } : s,
      )
    : doc.subgraphs;
  if (trainedOn && Array.isArray(nodes) && !nodes.some((n) => isObject(n) && n.kind === 'Dataset'))
    notes.push(`training used dataset '${trainedOn}', but the graph has no Dataset node: add one to train`);

  if (training) {
    delete training.dataset;
    if (dataset && own(dataset, 'validationSplit') !== undefined)
      training.validationSplit = dataset.validationSplit;
    training.optimizer = dropUnknown(training.optimizer, optimizerKeys, 'optimizer', notes);
    training.schedule = dropUnknown(training.schedule, scheduleKeys, 'schedule', notes);
    if (training.schedule === undefined) delete training.schedule;
  }
  const next: Json = { ...doc, nodes, ...(training ? { training } : {}) };
  if (subgraphs !== undefined) next.subgraphs = subgraphs;
  return { doc: next, notes };
}

const optimizerKeys = (kind: string): string[] | null => {
  const schema = OPTIMIZER_PARAMS[(kind === 'adamw' ? 'adam' : kind) as keyof typeof OPTIMIZER_PARAMS];
  return schema ? Object.keys(schema.shape) : null;
};
const scheduleKeys = (kind: string): string[] | null => {
  const option = ScheduleSchema.options.find((o) => o.shape.kind.value === kind);
  return option ? Object.keys(option.shape.params.unwrap().shape) : null;
};

/** Keeps the params a kind knows (unknown kinds are left for validation to report). */
function dropUnknown(
  section: unknown,
  known: (kind: string) => string[] | null,
  what: string,
  notes: string[],
): unknown {
  if (!isObject(section) || typeof section.kind !== 'string' || !isObject(section.params)) return section;
  const keys = known(section.kind);
  if (!keys) return section;
  const params: Json = {};
  for (const [key, value] of Object.entries(section.params))
    if (keys.includes(key)) params[key] = value;
    else notes.push(`dropped the ${what} option '${key}': ${section.kind} does not use it`);
  return { ...section, params };
}

/**
 * Version 3 lets the Dataset node name a user's own table ('table', with its versioned spec).
 * A version-2 document has none, so it upgrades unchanged; the number tells older apps that a
 * version-3 document may hold data they cannot load, so they refuse it instead of misreading it.
 */
const v2ToV3: Migration = (doc) => ({ doc: { ...doc }, notes: [] });

export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: v1ToV2, 2: v2ToV3 };

export type MigrationResult = { ok: true; value: Json; notes: string[] } | { ok: false; message: string };

/** A value in words for a message, whatever it is (JSON.stringify throws on a BigInt). */
function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return typeof value;
  try {
    return JSON.stringify(value)?.slice(0, 60) ?? String(value);
  } catch {
    return typeof value;
  }
}

export function migrate(doc: Json): MigrationResult {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version))
    return {
      ok: false,
      message: `version must be an integer document version (got ${describeValue(version)})`,
    };
  if (version > CURRENT_VERSION)
    return {
      ok: false,
      message: `document version ${version} is newer than this app supports (${CURRENT_VERSION}); update homemade-grad to open it`,
    };
  if (version < FIRST_VERSION)
    return {
      ok: false,
      message: `version ${version} is not a homemade-grad document version (the first is ${FIRST_VERSION})`,
    };
  let value = doc;
  const notes: string[] = [];
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, message: `no migration from document version ${v} to ${v + 1}` };
    const migrated = step(value);
    value = { ...migrated.doc, version: v + 1 };
    notes.push(...migrated.notes.map((n) => `version ${v} → ${v + 1}: ${n}`));
  }
  return { ok: true, value, notes };
}
