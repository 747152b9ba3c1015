// ONNX in: models written by PyTorch's own torch.onnx.export (run for real with Debian's
// python3-torch) and by our exporter become graphs whose predictions equal the originals, and
// that train; what cannot be read is refused naming the ONNX node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hg from '@hgrad/engine';
import { loadGraph } from '@hgrad/ir';
import { compileGraph, prepareRun } from '@hgrad/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, type OnnxImport } from './index.ts';
import { PYTHON_HELPERS } from './pytorch/helpers.ts';
import { kindsCases } from './kinds.fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'hgrad-onnx-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const examplesDir = new URL('../../../examples/', import.meta.url).pathname;

const MODELS = `
class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 16); self.bn = nn.BatchNorm1d(16); self.drop = nn.Dropout(0.2); self.fc2 = nn.Linear(16, 3)
    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.bn(self.fc1(x)))))

class Acts(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 16); self.fc2 = nn.Linear(16, 16); self.fc3 = nn.Linear(16, 3)
    def forward(self, x):
        x = self.fc2(F.elu(self.fc1(x), 0.5))
        return self.fc3(F.mish(F.hardswish(F.softplus(x))))

class Gap(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3); self.pool = nn.AdaptiveAvgPool2d(1); self.fc = nn.Linear(4, 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.pool(torch.relu(self.conv(x))), 1))

class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1); self.bn = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, 3, stride=2); self.fc = nn.Linear(8 * 3 * 3, 10)
    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.bn(self.conv1(x))), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))

class Gru(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(59, 16); self.gru = nn.GRU(16, 24, batch_first=True); self.head = nn.Linear(24, 59)
    def forward(self, x):
        return self.head(self.gru(self.embed(x))[0])

class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(59, 12); self.lstm = nn.LSTM(12, 20, num_layers=2, batch_first=True)
        self.norm = nn.LayerNorm(20); self.head = nn.Linear(20, 59)
    def forward(self, x):
        return torch.softmax(self.head(self.norm(self.lstm(self.embed(x))[0])), dim=-1)
`;

const CASES = {
  mlp: 'torch.randn(5, 2)',
  acts: 'torch.randn(6, 2) * 3',
  gap: 'torch.randn(3, 1, 28, 28)',
  cnn: 'torch.randn(3, 1, 28, 28)',
  gru: 'torch.randint(0, 59, (4, 8))',
  lstm: 'torch.randint(0, 59, (4, 8))',
};

beforeAll(() => {
  const script = `
import ctypes, json, struct, sys
import torch
from torch import nn
import torch.nn.functional as F
${PYTHON_HELPERS.replace(/^def load[\s\S]*$/m, '')}
${MODELS}
torch.manual_seed(0)
for name, cls, make in [${Object.entries(CASES)
    .map(([k, v]) => `("${k}", ${k[0]!.toUpperCase() + k.slice(1)}, lambda: ${v})`)
    .join(', ')}]:
    model = cls()
    # Non-trivial running statistics, then inference mode.
    model.train()
    with torch.no_grad():
        model(make())
    model.eval()
    x = make()
    torch.onnx.export(model, x, name + ".onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    with torch.no_grad():
        write_safetensors({"input": x, "output": model(x)}, name + ".io.safetensors")
print("ok")
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (r.error || /No module named 'torch'/.test(r.stderr))
    throw new Error("these tests need Debian's python3-torch (bash scripts/setup.sh installs it)");
  if (r.status !== 0) throw new Error(r.stderr);
}, 300_000);

function imported(bytes: Uint8Array): {
  model: ReturnType<typeof compileGraph>;
  result: Extract<OnnxImport, { ok: true }>;
} {
  const result = importOnnx(bytes);
  if (!result.ok) throw new Error(result.problem);
  const loaded = loadGraph(result.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const model = compileGraph(loaded.graph);
  model.loadStateDict(result.weights);
  model.eval();
  return { model, result };
}

describe('ONNX import', () => {
  it.each(Object.keys(CASES))(
    "%s exported by PyTorch's torch.onnx.export predicts what PyTorch does",
    (name) => {
      const { model, result } = imported(readFileSync(join(dir, `${name}.onnx`)));
      const io = hg.loadSafetensors(readFileSync(join(dir, `${name}.io.safetensors`))).tensors;
      const got = hg.noGrad(() => model.predict(io.get('input')!));
      const want = io.get('output')!;
      expect(got.shape).toEqual(want.shape);
      expect(got.sub(want).abs().max().item()).toBeLessThan(1e-4);
      expect(result.document.nodes.some((n) => n.kind === 'Dataset')).toBe(true);
    },
  );

  it('names nodes after the weights PyTorch kept, and keeps their state-dict layout', () => {
    const { result } = imported(readFileSync(join(dir, 'mlp.onnx')));
    expect(result.document.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual([
      'data:Dataset',
      'fc1:Linear',
      'bn:BatchNorm1d',
      'relu:ReLU',
      'fc2:Linear',
      'loss:CrossEntropyLoss',
    ]);
    expect(result.weights.get('fc1.weight')!.shape).toEqual([16, 2]);
    expect(result.weights.get('bn.running_var')!.shape).toEqual([16]);
  });

  it("reads PyTorch's activations as their node kinds (Mish, an opset-18 operator, as its formula)", () => {
    const { result } = imported(readFileSync(join(dir, 'acts.onnx')));
    const kinds = result.document.nodes.map((n) => n.kind);
    expect(kinds.filter((k) => !['Dataset', 'Linear', 'CrossEntropyLoss'].includes(k))).toEqual([
      'ELU',
      'Softplus',
      'Hardswish',
      'Softplus',
      'Tanh',
      'Mul',
    ]);
    expect(result.document.nodes.find((n) => n.kind === 'ELU')!.params).toEqual({ alpha: 0.5 });
  });

  it("reads PyTorch's global average pooling (GlobalAveragePool) as AdaptiveAvgPool2d(1)", () => {
    const { result } = imported(readFileSync(join(dir, 'gap.onnx')));
    const pool = result.document.nodes.find((n) => n.kind === 'AdaptiveAvgPool2d');
    expect(pool?.params).toEqual({ outputSize: 1 });
  });

  it('an imported model trains here', async () => {
    const { result } = imported(readFileSync(join(dir, 'mlp.onnx')));
    const loaded = loadGraph(result.document);
    if (!loaded.ok) throw new Error('not loadable');
    const { model, run } = await prepareRun(loaded.graph, { limit: 64 });
    model.loadStateDict(result.weights);
    const first = await run.nextStep();
    let last = first;
    for (let i = 0; i < 20; i++) last = await run.nextStep();
    expect(Number.isFinite(first.loss)).toBe(true);
    expect(last.loss).toBeLessThan(first.loss);
  });

  it.each(readdirSync(examplesDir).filter((f) => f.endsWith('.hgrad.json')))(
    'example %s comes back from its own ONNX export with the same predictions',
    (file) => {
      const loaded = loadGraph(readFileSync(join(examplesDir, file), 'utf8'));
      if (!loaded.ok) throw new Error('example does not load');
      hg.manualSeed(9);
      const original = compileGraph(loaded.graph);
      const exported = exportOnnx(loaded.graph, original.stateDict());
      if (!exported.ok) throw new Error(exported.reason);
      const { model } = imported(exported.bytes);
      const data = loaded.graph.analysis.nodes.get('data')!;
      const shape = data.outputs.x!.map((d) => (typeof d === 'number' ? d : 3));
      const x = data.dtypes.x === 'int' ? hg.randint(0, 50, shape) : hg.randn(shape);
      original.eval();
      expect(
        hg
          .noGrad(() => model.predict(x))
          .sub(original.predict(x))
          .abs()
          .max()
          .item(),
      ).toBeLessThan(1e-6);
    },
  );

  it('refuses what it cannot read, naming the ONNX node', () => {
    const dense = kindsCases().find((c) => c.name === 'dense')!;
    const exported = exportOnnx(dense.graph, dense.weights);
    if (!exported.ok) throw new Error(exported.reason);
    const result = importOnnx(exported.bytes);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problem).toMatch(/^ONNX node '.*' \((Mul|LayerNormalization|Slice|ReduceMax)\): /);
    expect(importOnnx(new Uint8Array([1, 2, 3]))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^not an ONNX model: /),
    });
  });
});
