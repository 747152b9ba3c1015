import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CURRENT_VERSION,
  FIRST_VERSION,
  MIGRATIONS,
  migrate,
  parseDocument,
  serializeDocument,
} from './index.ts';

// Each fixture NAME.vN.json (a document of version N) has NAME.v(N+1).json, the expected result of
// MIGRATIONS[N], and NAME.notes.json, the notes the migration gives a person.
const dir = new URL('../fixtures/migrations/', import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const fixtures = readdirSync(dir)
  .map((f) => /^(.+)\.v(\d+)\.json$/.exec(f))
  .filter(
    (m): m is RegExpExecArray => m !== null && existsSync(new URL(`${m[1]}.v${Number(m[2]) + 1}.json`, dir)),
  )
  .map((m) => ({ name: m[1]!, from: Number(m[2]) }));

describe('migrations', () => {
  it('every version below the current one has a migration and at least one fixture', () => {
    for (let v = FIRST_VERSION; v < CURRENT_VERSION; v++) {
      expect(MIGRATIONS[v], `migration from version ${v}`).toBeTypeOf('function');
      expect(
        fixtures.some((f) => f.from === v),
        `a fixture for version ${v}`,
      ).toBe(true);
    }
  });

  for (const { name, from } of fixtures)
    it(`${name}: version ${from} → ${from + 1} gives the expected document and notes`, () => {
      const old = read(`${name}.v${from}.json`) as Record<string, unknown>;
      const step = MIGRATIONS[from]!(old);
      expect({ ...step.doc, version: from + 1 }).toEqual(read(`${name}.v${from + 1}.json`));
      expect(step.notes).toEqual(read(`${name}.notes.json`));
    });

  it('an old document parses to the current version, valid, with its notes', () => {
    const result = parseDocument(read('disagreeing.v1.json'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.version).toBe(CURRENT_VERSION);
    expect(result.document.nodes[0]!.params).toEqual({ name: 'blobs', samples: 300, classes: 4 });
    expect(result.document.training!.validationSplit).toBe(0.2);
    expect(result.notes).toEqual([
      "version 1 → 2: node data: it named 'moons' but training used 'blobs'; it now names 'blobs'",
      "version 1 → 2: dropped the dataset option 'noise': dataset 'blobs' does not use it",
      "version 1 → 2: dropped the optimizer option 'momentum': adam does not use it",
    ]);
    expect(serializeDocument(result.document)).toContain(`"version": ${CURRENT_VERSION}`);
  });

  it('a document migrated twice gives the same result (migrations do not touch their input)', () => {
    const old = read('mlp-blobs.v1.json') as Record<string, unknown>;
    const copy = structuredClone(old);
    const a = migrate(old);
    const b = migrate(old);
    expect(a).toEqual(b);
    expect(old).toEqual(copy);
  });
});
