// A bounded fuzz of graph documents through the CLI (validate, info, train --epochs 1 --limit 8)
// and @hgrad/ir's loadGraph: random mutations of the example documents (a value replaced by a
// nasty one, a key removed, a prototype key added, an element duplicated) and hand-made nasties
// (huge and fractional sizes, 10⁵ nodes, deep, recursive and fanned-out groups, cycles through
// groups, edges to missing or prototype ports, very long strings, wrong versions). Every outcome
// is a clean answer — a success, or problems that name a node or field — never an internal
// error, a hang or an allocation the machine cannot make; a document that validates trains.
// Seeded, so a failure is reproducible; bounded to well under two minutes.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraph } from '@hgrad/ir';
import { runCli, type CliIo } from './main.ts';

const SEED = Number(process.env.HGRAD_FUZZ_SEED ?? 20261128);
const work = mkdtempSync(join(tmpdir(), 'hgrad-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.hgrad.json`, import.meta.url), 'utf8'));

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += `${s}\n`), err: (s) => void (err += `${s}\n`) };
  const code = await runCli(args, io);
  return { code, out, err };
}

let files = 0;
let trained = 0;
/** How many documents validated, per test (the suite must reach training, not only refusals). */
let valid = 0;
/** At most this many training runs per test (each loads its dataset). */
const TRAIN_LIMIT = 30;

/** validate, info and (when it validates) train: each a clean answer, and validate agrees with train. */
async function throughCli(text: string, { train = true } = {}): Promise<void> {
  const file = join(work, `doc-${files++}.hgrad.json`);
  writeFileSync(file, text);
  const validated = await cli(['validate', file]);
  expect(validated.err, 'validate').not.toContain('internal error');
  expect([0, 1]).toContain(validated.code);
  if (validated.code === 1) expect(validated.err.trim().length).toBeGreaterThan(0);
  else valid++;
  const info = await cli(['info', file]);
  expect(info.err, 'info').not.toContain('internal error');
  expect(info.code).toBe(validated.code);
  if (validated.code !== 0 || !train || trained >= TRAIN_LIMIT) return;
  trained++;
  const out = join(work, `out-${files}`);
  const run = await cli(['train', file, '--epochs', '1', '--limit', '8', '--out', out]);
  expect(run.err, `train of a document that validates:\n${text.slice(0, 2000)}`).not.toContain(
    'internal error',
  );
  // A graph without a training section is valid (to export or inspect) and train says so.
  if (!(JSON.parse(text) as { training?: unknown }).training)
    expect(run.err).toMatch(/has no training section/);
  else expect(run.code, run.err).toBe(0);
}

/** Every path to a value in a JSON document. */
function paths(value: unknown, at: (string | number)[] = [], into: (string | number)[][] = []) {
  into.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], into));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], into);
  return into;
}

const NASTY: unknown[] = [
  1e12,
  1e6 + 1,
  0,
  -1,
  -0.5,
  2.5,
  Number.MAX_VALUE,
  'NaN',
  '',
  'x'.repeat(5000),
  null,
  true,
  [],
  {},
  [1, 2],
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

type Mutation =
  | { op: 'replace'; path: number; value: number }
  | { op: 'delete'; path: number }
  | { op: 'proto'; path: number }
  | { op: 'duplicate'; path: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), path: fc.nat(), value: fc.nat(NASTY.length - 1) }),
  fc.record({ op: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({ op: fc.constant('proto' as const), path: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), path: fc.nat() }),
);

/** The document with the mutations applied, as JSON text (a '__proto__' key stays an own key). */
function mutate(doc: Record<string, unknown>, mutations: Mutation[]): string {
  let text = JSON.stringify(doc);
  for (const m of mutations) {
    const value = JSON.parse(text) as Record<string, unknown>;
    const all = paths(value).filter((p) => p.length > 0);
    const path = all[m.path % all.length]!;
    const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value) as
      Record<string | number, unknown> | unknown[];
    const key = path.at(-1)!;
    if (m.op === 'replace') (parent as Record<string | number, unknown>)[key] = NASTY[m.value];
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
    } else if (m.op === 'duplicate' && Array.isArray(parent))
      parent.push(structuredClone(parent[Number(key)]));
    text = JSON.stringify(value);
    if (m.op === 'proto' && !Array.isArray(parent)) {
      // Add an own '__proto__' key next to the chosen one (JSON.stringify cannot write it).
      const marker = `"${String(key)}":`;
      text = text.replace(marker, `"__proto__":{"polluted":1},${marker}`);
    }
  }
  return text;
}

describe('fuzzed documents through validate, info and train', () => {
  for (const name of ['mlp-blobs', 'cnn-fashion', 'char-rnn']) {
    it(`${name}: random mutations give clean answers, and what validates trains`, async () => {
      const base = example(name);
      trained = 0;
      valid = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const text = mutate(base, mutations);
          await throughCli(text, { train: name === 'mlp-blobs' || trained < 3 });
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { seed: SEED, numRuns: name === 'mlp-blobs' ? 500 : 150 },
      );
      // Some mutations keep the document valid (a position, a name, a size that fits): they train.
      expect(valid).toBeGreaterThan(0);
      expect(trained).toBeGreaterThan(0);
      console.log(`${name}: ${valid} of the mutated documents validated, ${trained} trained`);
    }, 60_000);
  }

  it('values no JSON can carry (NaN, Infinity, undefined, functions) never make loadGraph throw', () => {
    const base = example('mlp-blobs');
    const odd = [NaN, Infinity, -Infinity, undefined, () => 1, Symbol('s'), 10n];
    fc.assert(
      fc.property(fc.nat(), fc.nat(odd.length - 1), (at, which) => {
        const doc = structuredClone(base);
        const all = paths(doc).filter((p) => p.length > 0);
        const path = all[at % all.length]!;
        const parent = path
          .slice(0, -1)
          .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], doc) as Record<
          string | number,
          unknown
        >;
        parent[path.at(-1)!] = odd[which];
        const r = loadGraph(doc);
        if (!r.ok) for (const p of r.problems) expect(p.message.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
  id,
  kind,
  params,
  position: { x: 0, y: 0 },
});
const edge = (id: string, s: string, sp: string, t: string, tp: string) => ({
  id,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
});
const blobs = (nodes: unknown[], edges: unknown[], extra: Record<string, unknown> = {}) => ({
  ...example('mlp-blobs'),
  nodes,
  edges,
  ...extra,
});

/** A group of `depth` levels, each instantiating the level below `fan` times in a chain. */
function fannedGroups(depth: number, fan: number) {
  const subgraphs = Array.from({ length: depth }, (_, level) => {
    const inner =
      level === 0
        ? [node('fc', 'Linear', { inFeatures: 2, outFeatures: 2 })]
        : Array.from({ length: fan }, (_, i) => node(`g${i}`, 'Group', { subgraph: `s${level - 1}` }));
    const chain = inner.map((n) => n.id);
    const port = (id: string, out: boolean) =>
      id === 'fc' ? (out ? 'output' : 'input') : out ? 'output' : 'x';
    return {
      id: `s${level}`,
      name: `level ${level}`,
      nodes: [
        node('in', 'GroupInput', { name: 'x' }),
        ...inner,
        node('out', 'GroupOutput', { name: 'output' }),
      ],
      edges: [
        edge('a', 'in', 'output', chain[0]!, port(chain[0]!, false)),
        ...chain
          .slice(1)
          .map((id, i) => edge(`c${i}`, chain[i]!, port(chain[i]!, true), id, port(id, false))),
        edge('z', chain.at(-1)!, port(chain.at(-1)!, true), 'out', 'input'),
      ],
    };
  });
  return blobs(
    [
      node('data', 'Dataset', { name: 'blobs' }),
      node('top', 'Group', { subgraph: `s${depth - 1}` }),
      node('head', 'Linear', { inFeatures: 2, outFeatures: 3 }),
      node('loss', 'CrossEntropyLoss'),
    ],
    [
      edge('e1', 'data', 'x', 'top', 'x'),
      edge('e2', 'top', 'output', 'head', 'input'),
      edge('e3', 'head', 'output', 'loss', 'input'),
      edge('e4', 'data', 'y', 'loss', 'target'),
    ],
    { subgraphs },
  );
}

describe('hand-made nasties', () => {
  const mlp = example('mlp-blobs') as { nodes: { id: string; params: Record<string, unknown> }[] };
  const withParams = (id: string, params: Record<string, unknown>) => ({
    ...mlp,
    nodes: mlp.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n)),
  });
  const cases: Record<string, () => unknown> = {
    'outFeatures 1e12': () => withParams('fc1', { outFeatures: 1e12 }),
    'a 10⁶ × 10⁶ Linear': () => {
      const d = withParams('fc1', { outFeatures: 1e6 }) as typeof mlp;
      return {
        ...d,
        nodes: d.nodes.map((n) =>
          n.id === 'fc2' ? { ...n, params: { inFeatures: 1e6, outFeatures: 1e6 } } : n,
        ),
      };
    },
    'zero, negative, NaN and fractional sizes': () => withParams('fc1', { outFeatures: 0, inFeatures: -3.5 }),
    '10⁵ nodes': () =>
      blobs(
        Array.from({ length: 100_000 }, (_, i) => node(`r${i}`, 'ReLU')),
        Array.from({ length: 99_999 }, (_, i) => edge(`e${i}`, `r${i}`, 'output', `r${i + 1}`, 'input')),
      ),
    '10 nested groups fanned out 8 ways': () => fannedGroups(10, 8),
    '3 nested groups fanned out 2 ways (small enough to train)': () => fannedGroups(3, 2),
    'a cycle through two groups': () => {
      const d = fannedGroups(2, 1) as unknown as { subgraphs: { nodes: unknown[]; id: string }[] };
      d.subgraphs[0]!.nodes.push(node('back', 'Group', { subgraph: 's1' }));
      return d;
    },
    'edges to missing and prototype ports': () => ({
      ...mlp,
      edges: [
        edge('p1', 'data', '__proto__', 'fc1', 'constructor'),
        edge('p2', 'ghost', 'output', 'fc1', 'input'),
        edge('p3', 'fc1', 'toString', 'act1', 'hasOwnProperty'),
      ],
    }),
    'a 10⁶-character name': () => ({ ...mlp, metadata: { name: 'n'.repeat(1_000_000) } }),
    'version 999, "2" and -1': () => [
      { ...mlp, version: 999 },
      { ...mlp, version: '2' },
      { ...mlp, version: -1 },
    ],
    'not a document': () => [null, [], 'text', 42, {}],
    'a 16-layer LSTM of 10⁵ units': () =>
      blobs(
        [
          node('data', 'Dataset', { name: 'blobs' }),
          node('lstm', 'LSTM', { inputSize: 2, hiddenSize: 100_000, numLayers: 16 }),
        ],
        [edge('e1', 'data', 'x', 'lstm', 'input')],
      ),
    'training on a dataset that does not exist': () => withParams('data', { name: 'imagenet' }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(
      name,
      async () => {
        const made = make();
        for (const doc of Array.isArray(made) && name !== 'not a document' ? made : [made])
          await throughCli(typeof doc === 'string' ? doc : JSON.stringify(doc));
      },
      60_000,
    );
  }
});
