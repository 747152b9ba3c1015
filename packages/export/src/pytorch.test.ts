// PyTorch code export checked in real PyTorch (Debian's python3-torch): every example and every
// model node kind, exported as Python, loads the engine's weights with strict=True and computes
// the engine's prediction to 1e-4; and a model trained briefly in PyTorch comes back through its
// own state dict into the engine with the same outputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hg from '@hgrad/engine';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import { compileGraph } from '@hgrad/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from './index.ts';
import { kindsCases } from './kinds.fixture.ts';

const examplesDir = new URL('../../../examples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hgrad-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  name: string;
  graph: CheckedGraph;
  weights: Map<string, hg.Tensor>;
  input: hg.Tensor;
}

function exampleCases(): Case[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.hgrad.json'))
    .map((file) => {
      const loaded = loadGraph(readFileSync(join(examplesDir, file), 'utf8'));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      hg.manualSeed(5);
      const weights = compileGraph(loaded.graph).stateDict();
      const data = loaded.graph.analysis.nodes.get('data')!;
      const shape = data.outputs.x!.map((d) => (typeof d === 'number' ? d : 3));
      const input = data.dtypes.x === 'int' ? hg.randint(0, 50, shape) : hg.randn(shape);
      return {
        name: file.replace('.hgrad.json', '').replaceAll('-', '_'),
        graph: loaded.graph,
        weights,
        input,
      };
    });
}

function predict(c: Case, weights = c.weights): hg.Tensor {
  const model = compileGraph(c.graph);
  model.loadStateDict(weights);
  model.eval();
  return hg.noGrad(() => model.predict(c.input));
}

function python(script: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (r.error || /No module named 'torch'/.test(r.stderr))
    throw new Error("these tests need Debian's python3-torch (bash scripts/setup.sh installs it)");
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return r.stdout;
}

const cases = [...kindsCases(), ...exampleCases()];
const outputs = new Map<string, hg.Tensor>();

beforeAll(() => {
  for (const c of cases) {
    const code = exportPytorch(c.graph);
    if (!code.ok) throw new Error(`${c.name}: ${code.reason}`);
    writeFileSync(join(dir, `model_${c.name}.py`), code.code);
    writeFileSync(join(dir, `${c.name}.weights.safetensors`), hg.saveSafetensors(c.weights));
    writeFileSync(join(dir, `${c.name}.input.safetensors`), hg.saveSafetensors({ input: c.input }));
  }
  // One Python process runs every model: import, load(strict), predict, write the output.
  python(`
import importlib, sys
sys.path.insert(0, ".")
for name in ${JSON.stringify(cases.map((c) => c.name))}:
    m = importlib.import_module("model_" + name)
    model = m.load(name + ".weights.safetensors")
    x = m.read_safetensors(name + ".input.safetensors")["input"]
    if m.INPUT_DTYPE == m.torch.int64:
        x = x.long()
    with m.torch.no_grad():
        y = model(x)
    m.write_safetensors({"output": y}, name + ".output.safetensors")
`);
  for (const c of cases)
    outputs.set(
      c.name,
      hg.loadSafetensors(readFileSync(join(dir, `${c.name}.output.safetensors`))).tensors.get('output')!,
    );
}, 300_000);

describe('PyTorch code export', () => {
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s runs in PyTorch with the engine’s outputs',
    (_name, c) => {
      const want = predict(c);
      const got = outputs.get(c.name)!;
      expect(got.shape).toEqual(want.shape);
      const diff = got.sub(want).abs().div(want.abs().add(1)).max().item();
      expect(diff).toBeLessThan(1e-4);
      expect(want.abs().max().item()).toBeGreaterThan(1e-3);
    },
  );

  it('a model trained in PyTorch comes back into the engine through its own state dict', () => {
    const c = cases.find((k) => k.name === 'conv')!;
    // Train a few steps in PyTorch (BatchNorm running stats and num_batches_tracked change too).
    python(`
import sys
sys.path.insert(0, ".")
import model_conv as m
torch = m.torch
torch.manual_seed(0)
model = m.load("conv.weights.safetensors").train()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for _ in range(3):
    x = torch.randn(8, 1, 28, 28)
    loss = torch.nn.functional.cross_entropy(model(x), torch.randint(0, 10, (8,)))
    opt.zero_grad(); loss.backward(); opt.step()
model.eval()
m.write_safetensors(model.state_dict(), "conv.trained.safetensors")
x = m.read_safetensors("conv.input.safetensors")["input"]
with torch.no_grad():
    m.write_safetensors({"output": model(x)}, "conv.trained-output.safetensors")
`);
    const trained = hg.loadSafetensors(readFileSync(join(dir, 'conv.trained.safetensors'))).tensors;
    expect(trained.get('bn.num_batches_tracked')!.item()).toBe(3);
    expect(
      trained.get('conv1.weight')!.sub(c.weights.get('conv1.weight')!).abs().max().item(),
    ).toBeGreaterThan(1e-4);
    const want = hg
      .loadSafetensors(readFileSync(join(dir, 'conv.trained-output.safetensors')))
      .tensors.get('output')!;
    const got = predict(c, trained);
    expect(got.sub(want).abs().max().item()).toBeLessThan(1e-4);
  });

  it('runs as a script: prints the model and a random batch', () => {
    const out = python(`
import runpy, sys
sys.argv = ["model_char_rnn.py", "char_rnn.weights.safetensors"]
runpy.run_path("model_char_rnn.py", run_name="__main__")
`);
    expect(out).toContain('(embed): Embedding(59, 32)');
    expect(out).toContain('input (2, 2) -> output (2, 2, 59)');
  });
});
