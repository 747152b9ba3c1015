// PyTorch code export: a readable Python file (standard library + torch only) with
// `class Model(nn.Module)` whose submodules are named by node id, so the engine's state dict
// loads with strict=True; each Group becomes a submodule of a class per subgraph; `load(path)`
// reads safetensors without the safetensors package; `__main__` prints the model and runs a
// random batch.
import { predictionPath, type Analysis, type CheckedGraph, type ParamsOf, type SymShape } from '@hgrad/ir';
import { NOT_MODEL_KINDS, type ModelKind } from '../flat.ts';
import { PYTORCH_KINDS, type PyKind } from './kinds.ts';
import { className, moduleRef, Names, registerModule } from './names.ts';
import { PYTHON_HELPERS } from './helpers.ts';

export type PytorchResult = { ok: true; code: string } | { ok: false; reason: string };

interface ClassCode {
  name: string;
  lines: string[];
}

const indent = (lines: readonly string[], by = '    ') => lines.map((l) => (l ? by + l : l));
const isModelKind = (k: string): k is ModelKind => !(NOT_MODEL_KINDS as readonly string[]).includes(k);

export function exportPytorch(graph: CheckedGraph): PytorchResult {
  const { analysis } = graph;
  const found = predictionPath(analysis);
  if (!found.ok) return { ok: false, reason: found.reason };
  const classNames = new Names();
  const classes = new Map<string, ClassCode>();
  const subgraphName = (id: string) => graph.document.subgraphs?.find((s) => s.id === id)?.name || id;

  /** The class of a subgraph, generated once (its parameters are per instance). */
  const groupClass = (subgraph: string, inner: Analysis): string | { error: string } => {
    const known = classes.get(subgraph);
    if (known) return known.name;
    const name = className(subgraphName(subgraph), classNames);
    const entry: ClassCode = { name, lines: [] };
    classes.set(subgraph, entry);
    const inputs = inner.order.filter((id) => inner.nodes.get(id)!.kind.kind === 'GroupInput');
    const outputs = inner.order.filter((id) => inner.nodes.get(id)!.kind.kind === 'GroupOutput');
    const body = inner.order.filter((id) => !inputs.includes(id) && !outputs.includes(id));
    const code = moduleCode(inner, body, inputs);
    if ('error' in code) return code;
    // forward returns what the GroupOutput nodes receive, in their order.
    const returned = outputs.map((id) => {
      const edge = inner.graph.edges.find((e) => e.target.node === id);
      return edge ? code.value.get(`${edge.source.node}:${edge.source.port}`)! : 'None';
    });
    entry.lines = classLines(name, `The subgraph "${subgraphName(subgraph)}".`, code, returned.join(', '));
    return name;
  };

  interface ModuleCode {
    init: string[];
    forward: string[];
    args: string[];
    /** The Python variable holding each "node:port" value. */
    value: Map<string, string>;
  }

  /** __init__ and forward of one level (the graph, or a subgraph). */
  const moduleCode = (
    level: Analysis,
    ids: readonly string[],
    inputIds: readonly string[],
    datasetId?: string,
  ): ModuleCode | { error: string } => {
    const names = new Names(datasetId ? ['x'] : []);
    const value = new Map<string, string>();
    const args: string[] = [];
    if (datasetId) value.set(`${datasetId}:x`, 'x');
    for (const id of inputIds) {
      const v = names.take(String(level.nodes.get(id)!.params.name));
      value.set(`${id}:output`, v);
      args.push(v);
    }
    if (datasetId) args.push('x');
    const sources = new Map<string, Map<string, { node: string; port: string }>>();
    for (const e of level.graph.edges) {
      const ports = sources.get(e.target.node) ?? new Map<string, { node: string; port: string }>();
      ports.set(e.target.port, e.source);
      sources.set(e.target.node, ports);
    }
    const init: string[] = [];
    const forward: string[] = [];
    for (const id of ids) {
      const info = level.nodes.get(id)!;
      const inputs: Record<string, string> = {};
      for (const [port, src] of sources.get(id) ?? []) inputs[port] = value.get(`${src.node}:${src.port}`)!;
      const outPorts = Object.keys(info.outputs);
      const vars = outPorts.map((port) => names.take(outPorts.length === 1 ? id : `${id}_${port}`));
      outPorts.forEach((port, i) => value.set(`${id}:${port}`, vars[i]!));
      if (info.inner) {
        const cls = groupClass(String(info.params.subgraph), info.inner);
        if (typeof cls !== 'string') return cls;
        init.push(registerModule(id, `${cls}()`));
        const groupInputs = info.ports.inputs.map((p) => inputs[p.name]!);
        const call = `${moduleRef(id)}(${groupInputs.join(', ')})`;
        forward.push(vars.length === 1 ? `${vars[0]} = ${call}` : `${vars.join(', ')} = ${call}`);
        continue;
      }
      const kind = info.kind.kind;
      if (!isModelKind(kind)) return { error: `node ${id} (${kind}) cannot be part of the model` };
      const entry = PYTORCH_KINDS[kind] as PyKind<ParamsOf<ModelKind>>;
      const params = info.params as ParamsOf<ModelKind>;
      if (entry.module) init.push(registerModule(id, entry.module(params)));
      const shapes = new Map<string, SymShape>();
      for (const [port, src] of sources.get(id) ?? [])
        shapes.set(port, level.nodes.get(src.node)!.outputs[src.port]!);
      const exprs = entry.forward(params, {
        self: moduleRef(id),
        in: inputs,
        rank: (port = 'input') => shapes.get(port)!.length,
      });
      outPorts.forEach((port, i) => forward.push(`${vars[i]} = ${exprs[port]}`));
    }
    return { init, forward, args, value };
  };

  const classLines = (name: string, doc: string, code: ModuleCode, returned?: string): string[] => [
    `class ${name}(nn.Module):`,
    `    """${doc}"""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...indent(code.init.length ? code.init : ['pass'], '        '),
    '',
    `    def forward(self, ${code.args.join(', ')}):`,
    ...indent(code.forward, '        '),
    ...(returned ? [`        return ${returned}`] : []),
  ];

  const { dataset, nodes, output } = found.path;
  const top = moduleCode(analysis, nodes, [], dataset);
  if ('error' in top) return { ok: false, reason: top.error };
  const outVar = top.value.get(`${output.node}:${output.port}`)!;
  const data = analysis.nodes.get(dataset)!;
  const modelLines = classLines(
    'Model',
    `${graph.document.metadata.name}, exported by homemade-grad.`,
    top,
    outVar,
  );
  const vocabulary = firstEmbeddingSize(analysis, dataset);
  const code = [
    `"""${graph.document.metadata.name}: a PyTorch model generated by homemade-grad.`,
    '',
    'Load the trained weights (a safetensors file written by homemade-grad) and predict:',
    '',
    '    model = load("weights.safetensors")   # strict=True, eval mode',
    '    y = model(x)',
    '',
    `The input x is ${describeInput(data.outputs.x!, data.dtypes.x)}; the output is what the graph's loss receives.`,
    'Needs only Python 3 and torch.',
    '"""',
    'import ctypes',
    'import json',
    'import struct',
    'import sys',
    '',
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    '',
    `INPUT_SHAPE = ${pyShape(data.outputs.x!)}  # None is the batch (and sequence) size`,
    `INPUT_DTYPE = torch.${data.dtypes.x === 'int' ? 'int64' : 'float32'}`,
    '',
    '',
    ...[...classes.values()].flatMap((c) => [...c.lines, '', '']),
    ...modelLines,
    '',
    '',
    PYTHON_HELPERS,
    '',
    '',
    'if __name__ == "__main__":',
    '    model = load(sys.argv[1]) if len(sys.argv) > 1 else Model().eval()',
    '    print(model)',
    '    shape = [2 if d is None else d for d in INPUT_SHAPE]',
    data.dtypes.x === 'int'
      ? `    x = torch.randint(0, ${vocabulary}, shape)`
      : '    x = torch.randn(*shape)',
    '    with torch.no_grad():',
    '        y = model(x)',
    '    print("input", tuple(x.shape), "-> output", tuple(y.shape))',
    '',
  ];
  return { ok: true, code: code.join('\n') };
}

function pyShape(shape: SymShape): string {
  return `(${shape.map((d) => (typeof d === 'number' ? String(d) : 'None')).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function describeInput(shape: SymShape, dtype: string | undefined): string {
  return `a ${dtype === 'int' ? 'torch.int64 tensor of token ids' : 'torch.float32 tensor'} of shape [${shape.join(', ')}]`;
}

/** For text models: the vocabulary size of the Embedding the input feeds (for a random batch). */
function firstEmbeddingSize(analysis: Analysis, dataset: string): number {
  const edge = analysis.graph.edges.find((e) => e.source.node === dataset && e.source.port === 'x');
  const target = edge ? analysis.nodes.get(edge.target.node) : undefined;
  return target?.kind.kind === 'Embedding' ? Number(target.params.numEmbeddings) : 2;
}
