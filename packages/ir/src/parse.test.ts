import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentJsonSchema, parseDocument, serializeDocument } from './index.ts';

const exampleText = readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8');

describe('parseDocument', () => {
  it('loads the example and saves it back byte for byte', () => {
    const result = parseDocument(exampleText);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.nodes.map((n) => n.id)).toEqual(['data', 'fc1', 'act1', 'fc2', 'loss']);
    expect(serializeDocument(result.document)).toBe(exampleText);
  });

  it('reports malformed JSON with the parser message', () => {
    const result = parseDocument('{"format": "hgrad",');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('refuses a newer version instead of guessing', () => {
    const result = parseDocument({ ...JSON.parse(exampleText), version: 99 });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'version',
          message: 'document version 99 is newer than this app supports (3); update homemade-grad to open it',
        },
      ],
    });
  });

  it('returns every structural problem at once, each with its path', () => {
    const doc = JSON.parse(exampleText);
    doc.nodes[1].position.x = 'left';
    doc.edges[0].target = { node: 'fc1' };
    doc.training.batchSize = 0;
    const result = parseDocument(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'nodes[1].position.x',
      'edges[0].target.port',
      'training.batchSize',
    ]);
  });

  it('finds duplicate ids and dangling edges', () => {
    const doc = JSON.parse(exampleText);
    doc.nodes.push({ ...doc.nodes[0] });
    doc.edges.push({
      id: 'e9',
      source: { node: 'nowhere', port: 'output' },
      target: { node: 'fc1', port: 'input' },
    });
    const result = parseDocument(doc);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      "duplicate node id 'data'",
      "edge e9: source node 'nowhere' does not exist",
    ]);
  });

  it('exports a JSON Schema for outside tools', () => {
    const schema = documentJsonSchema() as { type: string; required: string[] };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'nodes', 'edges']));
  });
});

describe('versions', () => {
  it('refuses versions before the first and non-integer versions', () => {
    const doc = JSON.parse(exampleText);
    expect(parseDocument({ ...doc, version: 0 })).toEqual({
      ok: false,
      problems: [
        { path: 'version', message: 'version 0 is not a homemade-grad document version (the first is 1)' },
      ],
    });
    expect(parseDocument({ ...doc, version: '1' })).toEqual({
      ok: false,
      problems: [{ path: 'version', message: 'version must be an integer document version (got "1")' }],
    });
  });
});
