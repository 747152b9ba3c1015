// ONNX export checked in real runtimes: every example and every model node kind runs in
// onnxruntime (WebAssembly, in Node) and agrees with the engine's own prediction to 1e-4, and
// Debian's python3-onnx checker accepts every file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hg from '@hgrad/engine';
import { KINDS, loadGraph, type CheckedGraph } from '@hgrad/ir';
import { compileGraph } from '@hgrad/train';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, NOT_MODEL_KINDS } from './index.ts';
import { ONNX_OPS } from './onnx/ops.ts';
import { kindsCases, kindsUsed } from './kinds.fixture.ts';

ort.env.wasm.numThreads = 1;
const examplesDir = new URL('../../../examples/', import.meta.url).pathname;
const written = mkdtempSync(join(tmpdir(), 'hgrad-onnx-'));
afterAll(() => rmSync(written, { recursive: true, force: true }));

function predict(graph: CheckedGraph, weights: Map<string, hg.Tensor>, input: hg.Tensor): hg.Tensor {
  const model = compileGraph(graph);
  model.loadStateDict(weights);
  model.eval();
  return hg.noGrad(() => model.predict(input));
}

async function runOnnx(
  bytes: Uint8Array,
  input: hg.Tensor,
): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  const values = Array.from(input.dataSync() as ArrayLike<number>);
  const feed =
    input.dtype === 'float32' || input.dtype === 'float64'
      ? new ort.Tensor('float32', Float32Array.from(values), input.shape)
      : new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), input.shape);
  const out = (await session.run({ input: feed })).output!;
  return { dims: out.dims, data: out.data as Float32Array };
}

async function expectAgreement(
  name: string,
  graph: CheckedGraph,
  weights: Map<string, hg.Tensor>,
  input: hg.Tensor,
) {
  const result = exportOnnx(graph, weights);
  if (!result.ok) throw new Error(result.reason);
  writeFileSync(join(written, `${name}.onnx`), result.bytes);
  const want = predict(graph, weights, input);
  const got = await runOnnx(result.bytes, input);
  expect([...got.dims]).toEqual(want.shape);
  const w = want.dataSync();
  let worst = 0;
  for (let i = 0; i < w.length; i++)
    worst = Math.max(worst, Math.abs(w[i]! - got.data[i]!) / (1 + Math.abs(w[i]!)));
  expect(worst).toBeLessThan(1e-4);
  // The values are not trivially equal (a model of zeros would pass anything).
  expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(1e-3);
}

describe('ONNX export', () => {
  it.each(kindsCases().map((c) => [c.name, c] as const))(
    '%s graph agrees in onnxruntime',
    async (name, c) => {
      await expectAgreement(`kinds-${name}`, c.graph, c.weights, c.input);
    },
  );

  it('the test graphs use every model kind, and every model kind has an exporter', () => {
    const used = kindsUsed(kindsCases());
    for (const kind of Object.keys(ONNX_OPS)) expect(used.has(kind as never), kind).toBe(true);
    expect(Object.keys(ONNX_OPS).length + NOT_MODEL_KINDS.length).toBe(Object.keys(KINDS).length);
  });

  it.each(readdirSync(examplesDir).filter((f) => f.endsWith('.hgrad.json')))(
    'example %s agrees in onnxruntime',
    async (file) => {
      const loaded = loadGraph(readFileSync(join(examplesDir, file), 'utf8'));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      hg.manualSeed(3);
      const weights = compileGraph(loaded.graph).stateDict();
      const x = loaded.graph.analysis.nodes.get('data')!.outputs.x!;
      const shape = x.map((d) => (typeof d === 'number' ? d : 3));
      const input =
        loaded.graph.analysis.nodes.get('data')!.dtypes.x === 'int'
          ? hg.randint(0, 50, shape)
          : hg.randn(shape);
      await expectAgreement(file.replace('.hgrad.json', ''), loaded.graph, weights, input);
    },
  );

  it('the batch size is dynamic', async () => {
    const c = kindsCases()[0]!;
    const result = exportOnnx(c.graph, c.weights);
    if (!result.ok) throw new Error(result.reason);
    for (const n of [1, 7]) {
      const input = hg.randn([n, 2]);
      const got = await runOnnx(result.bytes, input);
      expect([...got.dims]).toEqual([n, 3]);
    }
  });

  it('refuses a graph with no model, naming why', () => {
    const loaded = loadGraph({
      format: 'hgrad',
      version: 2,
      metadata: { name: 'no loss' },
      nodes: [{ id: 'data', kind: 'Dataset', params: { name: 'blobs' }, position: { x: 0, y: 0 } }],
      edges: [],
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(exportOnnx(loaded.graph, new Map())).toEqual({
      ok: false,
      reason: 'the graph has no loss node, so nothing names the model output',
    });
  });

  it('refuses weights that lack a tensor, naming the node and the tensor', () => {
    const c = kindsCases()[0]!;
    const weights = new Map(c.weights);
    weights.delete('fc1.weight');
    expect(exportOnnx(c.graph, weights)).toEqual({
      ok: false,
      reason: "node fc1 (Linear): the weights have no tensor 'fc1.weight'",
    });
  });

  it('refuses an adaptive pooling ONNX cannot express, naming the node and the sizes', () => {
    const c = kindsCases().find((k) => k.graph.document.nodes.some((n) => n.kind === 'AdaptiveAvgPool2d'))!;
    const doc = JSON.parse(JSON.stringify(c.graph.document)) as {
      nodes: { id: string; params: Record<string, unknown> }[];
    };
    doc.nodes.find((n) => n.id === 'gap')!.params.outputSize = [3, 2];
    const loaded = loadGraph(doc);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(exportOnnx(loaded.graph, c.weights)).toEqual({
      ok: false,
      reason:
        'node gap (AdaptiveAvgPool2d): ONNX has no adaptive pooling: output 3x2 from input 8x8 exports only when it divides the input (or is 1x1)',
    });
  });

  it("every file passes python3-onnx's checker", () => {
    const files = readdirSync(written).map((f) => join(written, f));
    expect(files.length).toBeGreaterThanOrEqual(8);
    const script =
      'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok", len(sys.argv) - 1)';
    const r = spawnSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' });
    if (r.error || /No module named 'onnx'/.test(r.stderr))
      throw new Error("this test needs Debian's python3-onnx (bash scripts/setup.sh installs it)");
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`ok ${files.length}`);
  });
});
