// ONNX in: a model (ours, or one PyTorch's torch.onnx.export wrote) becomes a graph document with
// its weights under the node ids, trainable here. The operators of the exported subset are read
// back — Gemm/MatMul(+Add) as Linear, Conv, pools, BatchNormalization, LayerNormalization,
// Gather as Embedding, RNN/GRU/LSTM (between the Transposes of batch-first), activations,
// Softmax, Flatten/Reshape, element-wise math, Concat and single-axis reductions; anything else
// is refused naming the ONNX node. A Dataset node whose samples fit the input and a loss that
// fits the output are added.
import onnxProto from 'onnx-proto';
import * as hg from '@hgrad/engine';
import { DATASETS, type DatasetName, type GraphDocument } from '@hgrad/ir';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

export type OnnxImport =
  | { ok: true; document: GraphDocument; weights: Map<string, hg.Tensor>; notes: string[] }
  | { ok: false; problem: string };

/** Where an ONNX value comes from in the graph being built. */
type Value =
  | { kind: 'port'; node: string; port: string; rank: number }
  /** The port's value, time-major ([T, N, …]): a Transpose(1, 0, 2) of a batch-first port. */
  | { kind: 'timeMajor'; node: string; port: string; rank: number }
  /** A recurrent op's Y: [T, directions, N, H] of a batch-first port. */
  | { kind: 'recurrentY'; node: string; port: string; rank: number }
  /** Shape arithmetic on activations (Shape → Gather → Concat …): only ever sizes a zero state. */
  | { kind: 'derived' }
  /** A zero-filled tensor sized from the input (PyTorch's exporter makes recurrent h0 this way). */
  | { kind: 'zeros' }
  /** An initializer (or a transposed one), with the name it was stored under. */
  | { kind: 'constant'; tensor: hg.Tensor; name: string };

class Refusal extends Error {}

function toTensor(t: TensorProto): hg.Tensor {
  const dims = (t.dims ?? []).map(Number);
  const DT = onnx.TensorProto.DataType;
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  const bytes = raw ? new Uint8Array(raw).slice() : null;
  switch (t.dataType) {
    case DT.FLOAT:
      return hg.tensor(bytes ? new Float32Array(bytes.buffer) : Float32Array.from(t.floatData ?? []), {
        shape: dims,
      });
    case DT.DOUBLE:
      return hg
        .tensor(bytes ? new Float64Array(bytes.buffer) : Float64Array.from(t.doubleData ?? []), {
          shape: dims,
          dtype: 'float64',
        })
        .float();
    case DT.INT64: {
      const values = bytes
        ? Array.from(new BigInt64Array(bytes.buffer), Number)
        : (t.int64Data ?? []).map((v) => Number(v));
      return hg.tensor(Float64Array.from(values), { shape: dims, dtype: 'float64' });
    }
    case DT.INT32:
      return hg.tensor(bytes ? new Int32Array(bytes.buffer) : Int32Array.from(t.int32Data ?? []), {
        shape: dims,
        dtype: 'int32',
      });
    default:
      throw new Refusal(`initializer '${t.name}' has ONNX data type ${t.dataType}, which is not supported`);
  }
}

type AttrValue = number | number[] | string | hg.Tensor;

function attributes(n: NodeProto): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  const T = onnx.AttributeProto.AttributeType;
  for (const a of n.attribute ?? []) {
    if (a.type === T.INT) out.set(a.name!, Number(a.i));
    else if (a.type === T.FLOAT) out.set(a.name!, a.f!);
    else if (a.type === T.INTS) out.set(a.name!, (a.ints ?? []).map(Number));
    else if (a.type === T.FLOATS) out.set(a.name!, [...(a.floats ?? [])]);
    else if (a.type === T.STRING) out.set(a.name!, new TextDecoder().decode(a.s ?? new Uint8Array()));
    else if (a.type === T.TENSOR && a.t) out.set(a.name!, toTensor(a.t));
  }
  return out;
}

export function importOnnx(bytes: Uint8Array, name = 'Imported ONNX model'): OnnxImport {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    return { ok: false, problem: `not an ONNX model: ${(e as Error).message}` };
  }
  try {
    return { ok: true, ...new Importer(model, name).run() };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: e.message };
    throw e;
  }
}

class Importer {
  private readonly values = new Map<string, Value>();
  private readonly nodes: GraphDocument['nodes'] = [];
  private readonly edges: GraphDocument['edges'] = [];
  private readonly weights = new Map<string, hg.Tensor>();
  private readonly ids = new Set<string>();
  private readonly notes: string[] = [];
  private readonly graph: onnxProto.onnx.IGraphProto;
  private readonly uses = new Map<string, number>();

  constructor(
    private readonly model: onnxProto.onnx.ModelProto,
    private readonly name: string,
  ) {
    if (!model.graph) throw new Refusal('the ONNX model has no graph');
    this.graph = model.graph;
  }

  run(): { document: GraphDocument; weights: Map<string, hg.Tensor>; notes: string[] } {
    const g = this.graph;
    for (const t of g.initializer ?? [])
      this.values.set(t.name!, { kind: 'constant', tensor: toTensor(t), name: t.name! });
    const inputs = (g.input ?? []).filter((i) => !this.values.has(i.name!));
    if (inputs.length !== 1)
      throw new Refusal(
        `the model must have one input, it has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`,
      );
    if ((g.output ?? []).length !== 1)
      throw new Refusal(`the model must have one output, it has ${g.output?.length ?? 0}`);
    const input = inputs[0]!;
    const tensorType = input.type?.tensorType;
    const dims = (tensorType?.shape?.dim ?? []).map((d) =>
      d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null,
    );
    const isInt =
      tensorType?.elemType === onnx.TensorProto.DataType.INT64 ||
      tensorType?.elemType === onnx.TensorProto.DataType.INT32;
    for (const n of g.node ?? [])
      for (const i of n.input ?? []) if (i) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);

    const dataset = this.datasetFor(dims, isInt);
    this.values.set(input.name!, dataset.value);
    for (const n of g.node ?? []) this.convert(n);

    const out = this.values.get(g.output![0]!.name!);
    if (!out || out.kind !== 'port')
      throw new Refusal(
        `the model output '${g.output![0]!.name}' is not a batch-first tensor the graph can train`,
      );
    const loss = this.id('loss');
    const info = DATASETS[dataset.name];
    this.nodes.push({
      id: loss,
      kind: info.y === 'value' ? 'MSELoss' : 'CrossEntropyLoss',
      params: {},
      position: { x: 0, y: 0 },
    });
    this.edge(out.node, out.port, loss, 'input');
    this.edge('data', 'y', loss, 'target');
    layOut(this.nodes, this.edges);
    const document: GraphDocument = {
      format: 'hgrad',
      version: 2,
      metadata: {
        name: this.graph.name || this.name,
        description: `Imported from ONNX (opset ${this.model.opsetImport?.[0]?.version ?? '?'}, producer ${this.model.producerName || 'unknown'}).`,
      },
      nodes: this.nodes,
      edges: this.edges,
      training: {
        validationSplit: 0.2,
        optimizer: { kind: 'adam', lr: 0.001, params: {} },
        batchSize: 32,
        epochs: 5,
        seed: 0,
        device: 'cpu',
      },
    } as GraphDocument;
    return { document, weights: this.weights, notes: this.notes };
  }

  /** The built-in dataset whose samples fit the input; a Flatten first for flat 28×28 images. */
  private datasetFor(dims: (number | null)[], isInt: boolean): { name: DatasetName; value: Value } {
    const rest = dims.slice(1);
    const params: Record<string, unknown> = {};
    let name: DatasetName;
    let flatten = false;
    if (isInt && rest.length === 1) {
      name = 'genesis';
      if (rest[0]) params.seqLen = rest[0];
    } else if (rest.length === 3 && rest.join() === '1,28,28') name = 'fashion-mnist';
    else if (rest.length === 1 && rest[0] === 784) [name, flatten] = ['fashion-mnist', true];
    else if (rest.length === 1 && rest[0] === 2) name = 'blobs';
    else if (rest.length === 1 && rest[0] === 3) name = 'linear-regression';
    else if (rest.length === 1 && rest[0] === 1) name = 'sine';
    else {
      name = 'blobs';
      this.notes.push(
        `no built-in dataset has samples of shape [${rest.join(', ')}]: the Dataset node is blobs; choose the data in Training settings`,
      );
    }
    params.name = name;
    this.nodes.push({ id: 'data', kind: 'Dataset', params, position: { x: 0, y: 0 } });
    this.ids.add('data');
    if (!flatten) return { name, value: { kind: 'port', node: 'data', port: 'x', rank: dims.length } };
    const id = this.add('Flatten', 'flatten', {}, [{ node: 'data', port: 'x' }]);
    return { name, value: { kind: 'port', node: id, port: 'output', rank: 2 } };
  }

  private id(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^_+|_+$/g, '') || 'node';
    if (/^[0-9]/.test(base)) base = `n${base}`;
    let id = base;
    for (let i = 2; this.ids.has(id); i++) id = `${base}${i}`;
    this.ids.add(id);
    return id;
  }

  private edge(s: string, sp: string, t: string, tp: string): void {
    this.edges.push({
      id: `e${this.edges.length + 1}`,
      source: { node: s, port: sp },
      target: { node: t, port: tp },
    });
  }

  /** Adds a node fed from `inputs` (to 'input', or to 'a' and 'b' for two) and returns its id. */
  private add(
    kind: string,
    wanted: string,
    params: Record<string, unknown>,
    inputs: { node: string; port: string }[],
    weights: Record<string, hg.Tensor> = {},
  ): string {
    const id = this.id(wanted);
    this.nodes.push({ id, kind, params, position: { x: 0, y: 0 } });
    const ports = inputs.length === 1 ? ['input'] : ['a', 'b'];
    inputs.forEach((src, i) => this.edge(src.node, src.port, id, ports[i]!));
    for (const [k, t] of Object.entries(weights)) this.weights.set(`${id}.${k}`, t);
    return id;
  }

  /** A node id from the weight names PyTorch's exporter keeps ("fc1.weight" → fc1). */
  private nameFrom(n: NodeProto, fallback: string): string {
    for (const i of n.input ?? []) {
      const v = this.values.get(i);
      const m =
        v?.kind === 'constant'
          ? /^(.*)\.(weight|bias|weight_ih_l0|in_proj_weight|onnx_W_l\d+)$/.exec(v.name)
          : null;
      if (m) return m[1]!.replaceAll('.', '_');
    }
    return fallback;
  }

  private port(n: NodeProto, index: number): Extract<Value, { kind: 'port' }> {
    const name = n.input?.[index];
    const v = name ? this.values.get(name) : undefined;
    if (!v)
      throw new Refusal(`${describe(n)}: its input '${name}' is not produced by anything the graph can hold`);
    if (v.kind !== 'port')
      throw new Refusal(
        `${describe(n)}: its input '${name}' is a ${v.kind === 'constant' ? 'constant' : 'time-major value'} where the graph needs an activation`,
      );
    return v;
  }

  private constant(n: NodeProto, index: number, what: string): hg.Tensor {
    const name = n.input?.[index];
    const v = name ? this.values.get(name) : undefined;
    if (!v || v.kind !== 'constant') throw new Refusal(`${describe(n)}: its ${what} must be an initializer`);
    return v.tensor;
  }

  private set(n: NodeProto, v: Value, index = 0): void {
    this.values.set(n.output![index]!, v);
  }

  private convert(n: NodeProto): void {
    const a = attributes(n);
    const op = n.opType!;
    const out = (node: string, rank: number, port = 'output'): Value => ({ kind: 'port', node, port, rank });
    const inputValues = (n.input ?? []).map((i) => (i ? this.values.get(i) : undefined));
    if (op === 'Constant') {
      const value = a.get('value');
      if (!(value instanceof hg.Tensor))
        throw new Refusal(`${describe(n)}: only tensor constants are supported`);
      return this.set(n, { kind: 'constant', tensor: value, name: n.output![0]! });
    }
    if (op === 'Shape') return this.set(n, { kind: 'derived' });
    // Sizes computed from shapes (for a zero initial state) stay symbolic.
    if (
      SHAPE_ARITHMETIC.includes(op) &&
      inputValues.some((v) => v?.kind === 'derived') &&
      inputValues.every((v) => v === undefined || v.kind === 'derived' || v.kind === 'constant')
    )
      return this.set(n, { kind: 'derived' });
    // Slices and reshapes of a zero state are zeros (PyTorch slices one h0 per layer).
    if (
      SHAPE_ARITHMETIC.includes(op) &&
      inputValues[0]?.kind === 'zeros' &&
      inputValues.slice(1).every((v) => v === undefined || v.kind === 'constant' || v.kind === 'derived')
    )
      return this.set(n, { kind: 'zeros' });
    if (op === 'Pad') {
      const pads = inputValues[1]?.kind === 'constant' ? inputValues[1].tensor : null;
      if (!pads || pads.abs().max().item() !== 0)
        throw new Refusal(
          `${describe(n)}: only a Pad of zero width is supported (put padding on the Conv or pool)`,
        );
      const src = inputValues[0];
      if (!src) throw new Refusal(`${describe(n)}: unknown input`);
      return this.set(n, src);
    }
    if (op === 'ConstantOfShape') {
      const fill = a.get('value');
      if (inputValues[0]?.kind !== 'derived' && inputValues[0]?.kind !== 'constant')
        throw new Refusal(`${describe(n)}: its shape must be a constant or computed from shapes`);
      if (fill instanceof hg.Tensor && fill.abs().max().item() !== 0)
        throw new Refusal(`${describe(n)}: only zero-filled tensors are supported`);
      return this.set(n, { kind: 'zeros' });
    }
    switch (op) {
      case 'Identity':
      case 'Dropout': {
        const src = this.values.get(n.input![0]!);
        if (!src) throw new Refusal(`${describe(n)}: unknown input`);
        this.set(n, src);
        return;
      }
      case 'Gemm': {
        const x = this.port(n, 0);
        if ((a.get('alpha') ?? 1) !== 1 || (a.get('beta') ?? 1) !== 1 || a.get('transA'))
          throw new Refusal(
            `${describe(n)}: only Gemm with alpha = beta = 1 and no transA is a Linear layer`,
          );
        const b = this.constant(n, 1, 'weight');
        const weight = a.get('transB') ? b : b.t().contiguous();
        const bias = n.input![2] ? this.constant(n, 2, 'bias') : null;
        const [outF, inF] = weight.shape as [number, number];
        const id = this.add(
          'Linear',
          this.nameFrom(n, 'linear'),
          { inFeatures: inF, outFeatures: outF, bias: bias !== null },
          [x],
          {
            weight,
            ...(bias ? { bias: bias.reshape(outF) } : {}),
          },
        );
        this.set(n, out(id, x.rank));
        return;
      }
      case 'Transpose': {
        const perm = a.get('perm') as number[] | undefined;
        const src = this.values.get(n.input![0]!);
        if (src?.kind === 'constant' && perm?.join() === '1,0') {
          this.set(n, { kind: 'constant', tensor: src.tensor.t().contiguous(), name: src.name });
          return;
        }
        if (perm?.join() === '1,0,2' && src?.kind === 'port')
          return this.set(n, { ...src, kind: 'timeMajor' });
        if (perm?.join() === '1,0,2' && src?.kind === 'timeMajor')
          return this.set(n, { ...src, kind: 'port' });
        throw new Refusal(
          `${describe(n)}: only the Transposes around batch-first recurrent layers are supported`,
        );
      }
      case 'MatMul': {
        const x = this.port(n, 0);
        const w = this.constant(n, 1, 'weight').t().contiguous();
        const [outF, inF] = w.shape as [number, number];
        const id = this.add(
          'Linear',
          this.nameFrom(n, 'linear'),
          { inFeatures: inF, outFeatures: outF, bias: false },
          [x],
          { weight: w },
        );
        this.set(n, out(id, x.rank));
        return;
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        const [l, r] = [this.values.get(n.input![0]!), this.values.get(n.input![1]!)];
        // A bias after a MatMul (on either side of the Add): folded into its Linear.
        const [act, bias, actName] = l?.kind === 'constant' ? [r, l, n.input![1]!] : [l, r, n.input![0]!];
        if (op === 'Add' && act?.kind === 'port' && bias?.kind === 'constant') {
          const linear = this.nodes.find((k) => k.id === act.node);
          if (linear?.kind === 'Linear' && linear.params.bias === false && this.uses.get(actName) === 1) {
            linear.params.bias = true;
            this.weights.set(`${linear.id}.bias`, bias.tensor.reshape(-1));
            this.set(n, act);
            return;
          }
        }
        if (l?.kind !== 'port' || r?.kind !== 'port')
          throw new Refusal(
            `${describe(n)}: element-wise ${op} with a constant operand is not a graph node kind`,
          );
        const id = this.add(op, op.toLowerCase(), {}, [l, r]);
        this.set(n, out(id, Math.max(l.rank, r.rank)));
        return;
      }
      case 'Conv': {
        const x = this.port(n, 0);
        const w = this.constant(n, 1, 'weight');
        const bias = n.input![2] ? this.constant(n, 2, 'bias') : null;
        if ((a.get('group') ?? 1) !== 1)
          throw new Refusal(`${describe(n)}: grouped convolution is not supported`);
        if ((a.get('dilations') as number[] | undefined)?.some((d) => d !== 1))
          throw new Refusal(`${describe(n)}: dilated convolution is not supported`);
        if (w.ndim !== 4) throw new Refusal(`${describe(n)}: only 2-D convolution is supported`);
        const pads = symmetricPads(n, a);
        const id = this.add(
          'Conv2d',
          this.nameFrom(n, 'conv'),
          {
            inChannels: w.shape[1],
            outChannels: w.shape[0],
            kernelSize: [w.shape[2], w.shape[3]],
            stride: (a.get('strides') as number[] | undefined) ?? [1, 1],
            padding: pads,
            bias: bias !== null,
          },
          [x],
          { weight: w, ...(bias ? { bias } : {}) },
        );
        this.set(n, out(id, 4));
        return;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const x = this.port(n, 0);
        if (a.get('ceil_mode')) throw new Refusal(`${describe(n)}: ceil_mode is not supported`);
        if (
          op === 'AveragePool' &&
          a.get('count_include_pad') !== 1 &&
          symmetricPads(n, a).some((p) => p > 0)
        )
          throw new Refusal(
            `${describe(n)}: AveragePool must count the padding (count_include_pad = 1), as PyTorch's default does`,
          );
        const kernel = a.get('kernel_shape') as number[];
        const id = this.add(
          op === 'MaxPool' ? 'MaxPool2d' : 'AvgPool2d',
          op === 'MaxPool' ? 'maxpool' : 'avgpool',
          {
            kernelSize: kernel,
            stride: (a.get('strides') as number[] | undefined) ?? [1, 1],
            padding: symmetricPads(n, a),
          },
          [x],
        );
        this.set(n, out(id, 4));
        return;
      }
      case 'GlobalAveragePool': {
        const x = this.port(n, 0);
        if (x.rank !== 4)
          throw new Refusal(`${describe(n)}: only 2-D global pooling ([N, C, H, W]) is supported`);
        this.set(n, out(this.add('AdaptiveAvgPool2d', 'avgpool', { outputSize: 1 }, [x]), 4));
        return;
      }
      case 'BatchNormalization': {
        const x = this.port(n, 0);
        const [weight, bias, mean, variance] = [1, 2, 3, 4].map((i) => this.constant(n, i, 'statistics'));
        const kind = x.rank === 4 ? 'BatchNorm2d' : 'BatchNorm1d';
        const id = this.add(
          kind,
          this.nameFrom(n, 'bn'),
          {
            numFeatures: weight!.shape[0],
            eps: (a.get('epsilon') as number | undefined) ?? 1e-5,
            momentum: Math.round((1 - ((a.get('momentum') as number | undefined) ?? 0.9)) * 1e6) / 1e6,
          },
          [x],
          {
            weight: weight!,
            bias: bias!,
            running_mean: mean!,
            running_var: variance!,
            num_batches_tracked: hg.tensor(0, { dtype: 'int64' }),
          },
        );
        this.set(n, out(id, x.rank));
        return;
      }
      case 'LayerNormalization': {
        const x = this.port(n, 0);
        if ((a.get('axis') ?? -1) !== -1 && a.get('axis') !== x.rank - 1)
          throw new Refusal(`${describe(n)}: only normalisation over the last dim is supported`);
        const weight = this.constant(n, 1, 'scale');
        const bias = n.input![2] ? this.constant(n, 2, 'bias') : hg.zeros(weight.shape);
        const id = this.add(
          'LayerNorm',
          this.nameFrom(n, 'ln'),
          { normalizedShape: weight.shape[0], eps: a.get('epsilon') ?? 1e-5 },
          [x],
          { weight, bias },
        );
        this.set(n, out(id, x.rank));
        return;
      }
      case 'Gather': {
        const weight = this.constant(n, 0, 'table');
        const x = this.port(n, 1);
        if ((a.get('axis') ?? 0) !== 0)
          throw new Refusal(`${describe(n)}: only Gather along axis 0 (an embedding) is supported`);
        const id = this.add(
          'Embedding',
          this.nameFrom(n, 'embed'),
          { numEmbeddings: weight.shape[0], embeddingDim: weight.shape[1] },
          [x],
          { weight },
        );
        this.set(n, out(id, x.rank + 1));
        return;
      }
      case 'RNN':
      case 'GRU':
      case 'LSTM': {
        const src = this.values.get(n.input![0]!);
        if (src?.kind !== 'timeMajor')
          throw new Refusal(
            `${describe(n)}: expected its input in the time-major layout of a batch-first layer (a Transpose(1, 0, 2) first)`,
          );
        if ((a.get('direction') ?? 'forward') !== 'forward')
          throw new Refusal(`${describe(n)}: only forward recurrent layers are supported`);
        if (op === 'GRU' && a.get('linear_before_reset') !== 1)
          throw new Refusal(`${describe(n)}: GRU must have linear_before_reset = 1 (PyTorch's GRU)`);
        if (a.has('activations') || a.has('clip'))
          throw new Refusal(`${describe(n)}: custom activations or clipping are not supported`);
        for (const [i, what] of [
          [4, 'sequence_lens'],
          [5, 'initial_h'],
          [6, 'initial_c'],
        ] as const)
          if (n.input![i] && (i === 4 || inputValues[i]?.kind !== 'zeros'))
            throw new Refusal(`${describe(n)}: ${what} is not supported (the layer starts from zeros)`);
        (n.output ?? []).slice(1).forEach((o) => {
          if (o && this.uses.get(o))
            throw new Refusal(`${describe(n)}: only its output sequence Y may be used`);
        });
        const h = a.get('hidden_size') as number;
        const gates = op === 'LSTM' ? 4 : op === 'GRU' ? 3 : 1;
        // ONNX gate orders → PyTorch's: GRU [z, r, h] → [r, z, n]; LSTM [i, o, f, c] → [i, f, g, o].
        const order = op === 'LSTM' ? [0, 2, 3, 1] : op === 'GRU' ? [1, 0, 2] : [0];
        const regate = (t: hg.Tensor) =>
          hg
            .cat(
              order.map((g) => t.narrow(0, g * h, h)),
              0,
            )
            .contiguous();
        const W = this.constant(n, 1, 'W').index(0);
        const R = this.constant(n, 2, 'R').index(0);
        const B = n.input![3] ? this.constant(n, 3, 'B').index(0) : hg.zeros([2 * gates * h]);
        const id = this.add(
          op,
          this.nameFrom(n, op.toLowerCase()),
          { inputSize: W.shape[1], hiddenSize: h, numLayers: 1 },
          [src],
          {
            weight_ih_l0: regate(W),
            weight_hh_l0: regate(R),
            bias_ih_l0: regate(B.narrow(0, 0, gates * h)),
            bias_hh_l0: regate(B.narrow(0, gates * h, gates * h)),
          },
        );
        this.set(n, { kind: 'recurrentY', node: id, port: 'output', rank: 3 });
        return;
      }
      case 'Squeeze': {
        const src = this.values.get(n.input![0]!);
        const axes = n.input![1]
          ? Array.from(this.constant(n, 1, 'axes').dataSync() as ArrayLike<number>)
          : (a.get('axes') as number[] | undefined);
        if (src?.kind === 'recurrentY' && axes?.join() === '1')
          return this.set(n, { ...src, kind: 'timeMajor' });
        throw new Refusal(`${describe(n)}: only the Squeeze after a recurrent layer is supported`);
      }
      case 'Relu':
      case 'Tanh':
      case 'Sigmoid':
      case 'LeakyRelu':
      case 'Gelu':
      case 'Elu':
      case 'Softplus':
      case 'HardSwish':
      case 'Mish': {
        const x = this.port(n, 0);
        const kind = {
          Relu: 'ReLU',
          Tanh: 'Tanh',
          Sigmoid: 'Sigmoid',
          LeakyRelu: 'LeakyReLU',
          Gelu: 'GELU',
          Elu: 'ELU',
          Softplus: 'Softplus',
          HardSwish: 'Hardswish',
          Mish: 'Mish',
        }[op]!;
        // ONNX's Softplus has no threshold; torch's default (x above 20) differs from it by less
        // than float32 resolves there.
        const params =
          op === 'LeakyRelu'
            ? { negativeSlope: a.get('alpha') ?? 0.01 }
            : op === 'Gelu'
              ? { approximate: a.get('approximate') ?? 'none' }
              : op === 'Elu'
                ? { alpha: a.get('alpha') ?? 1 }
                : {};
        this.set(n, out(this.add(kind, kind.toLowerCase(), params, [x]), x.rank));
        return;
      }
      case 'Softmax': {
        const x = this.port(n, 0);
        const opset = Number(this.model.opsetImport?.[0]?.version ?? 13);
        const axis = (a.get('axis') as number | undefined) ?? (opset >= 13 ? -1 : 1);
        if (opset < 13 && axis !== x.rank - 1 && axis !== -1)
          throw new Refusal(
            `${describe(n)}: before opset 13 Softmax flattens the trailing dims; only the last axis is supported`,
          );
        this.set(n, out(this.add('Softmax', 'softmax', { dim: axis }, [x]), x.rank));
        return;
      }
      case 'Flatten': {
        const x = this.port(n, 0);
        if ((a.get('axis') ?? 1) !== 1)
          throw new Refusal(`${describe(n)}: only Flatten(axis = 1) is supported`);
        this.set(n, out(this.add('Flatten', 'flatten', {}, [x]), 2));
        return;
      }
      case 'Reshape': {
        const x = this.port(n, 0);
        const shape = Array.from(this.constant(n, 1, 'shape').dataSync() as ArrayLike<number>);
        if (shape[0] !== 0 && shape[0] !== -1)
          throw new Refusal(`${describe(n)}: the first dim must stay the batch (0 or −1)`);
        if (shape[0] === -1 && shape.slice(1).includes(-1))
          throw new Refusal(`${describe(n)}: two inferred dims`);
        this.set(n, out(this.add('Reshape', 'reshape', { shape: shape.slice(1) }, [x]), shape.length));
        return;
      }
      case 'Concat': {
        const parts = (n.input ?? []).map((_, i) => this.port(n, i));
        let acc = parts[0]!;
        for (const next of parts.slice(1))
          acc = out(
            this.add('Concat', 'concat', { dim: a.get('axis') as number }, [acc, next]),
            acc.rank,
          ) as typeof acc;
        this.set(n, acc);
        return;
      }
      case 'ReduceMean':
      case 'ReduceSum':
      case 'ReduceMax': {
        const x = this.port(n, 0);
        const axes = n.input![1]
          ? Array.from(this.constant(n, 1, 'axes').dataSync() as ArrayLike<number>)
          : (a.get('axes') as number[] | undefined);
        if (!axes || axes.length !== 1)
          throw new Refusal(`${describe(n)}: only a reduction over one axis is supported`);
        const keepdim = (a.get('keepdims') ?? 1) === 1;
        const kind = { ReduceMean: 'Mean', ReduceSum: 'Sum', ReduceMax: 'Max' }[op]!;
        this.set(
          n,
          out(
            this.add(kind, kind.toLowerCase(), { dim: axes[0], keepdim }, [x]),
            keepdim ? x.rank : x.rank - 1,
          ),
        );
        return;
      }
      default:
        throw new Refusal(`${describe(n)}: the ONNX operator ${op} has no node kind here`);
    }
  }
}

const SHAPE_ARITHMETIC = [
  'Gather',
  'Unsqueeze',
  'Concat',
  'Cast',
  'Slice',
  'Squeeze',
  'Reshape',
  'Mul',
  'Add',
  'Div',
  'Sub',
];

const describe = (n: NodeProto) => `ONNX node ${n.name ? `'${n.name}' ` : ''}(${n.opType})`;

function symmetricPads(n: NodeProto, a: Map<string, AttrValue>): [number, number] {
  if (a.has('auto_pad') && a.get('auto_pad') !== 'NOTSET')
    throw new Refusal(`${describe(n)}: auto_pad is not supported`);
  const pads = (a.get('pads') as number[] | undefined) ?? [0, 0, 0, 0];
  if (pads[0] !== pads[2] || pads[1] !== pads[3])
    throw new Refusal(`${describe(n)}: asymmetric padding is not supported`);
  return [pads[0]!, pads[1]!];
}

/** Columns by depth from the data node, rows in order: a readable first layout. */
function layOut(nodes: GraphDocument['nodes'], edges: GraphDocument['edges']): void {
  const depth = new Map<string, number>([['data', 0]]);
  for (const n of nodes) {
    const into = edges.filter((e) => e.target.node === n.id).map((e) => depth.get(e.source.node) ?? 0);
    if (n.id !== 'data') depth.set(n.id, into.length ? Math.max(...into) + 1 : 0);
  }
  const rows = new Map<number, number>();
  for (const n of nodes) {
    const d = depth.get(n.id)!;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    n.position = { x: d * 300, y: 120 + row * 140 };
  }
}
