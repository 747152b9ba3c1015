import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const example = new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url).pathname;

describe('hgrad validate', () => {
  it('accepts the example document', async () => {
    const r = await run('validate', example);
    expect(r).toEqual({ code: 0, out: `${example}: valid (5 nodes, 5 edges)`, err: '' });
  });

  it('lists every problem of a broken document and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-'));
    const file = join(dir, 'broken.hgrad.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'hgrad',
        version: 1,
        metadata: { name: 'x' },
        nodes: [{ id: 'a', kind: 'Linear', params: {}, position: { x: 0, y: 0 } }],
        edges: [
          { id: 'e1', source: { node: 'a', port: 'output' }, target: { node: 'ghost', port: 'input' } },
        ],
      }),
    );
    const r = await run('validate', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain("edge e1: edge e1: target node 'ghost' does not exist");
    expect(r.err).toContain('1 problem');
  });

  it('names a missing file as the user error', async () => {
    const r = await run('validate', '/nonexistent/model.hgrad.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('hgrad: validate: cannot read /nonexistent/model.hgrad.json: ENOENT');
  });

  it('rejects unknown commands with usage', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });
});
