// Building an ONNX graph: nodes with unique output names, initializers from engine tensors or
// constants, and the model encoded with onnx-proto (ONNX's own schema compiled by protobufjs).
import onnxProto from 'onnx-proto';
import type * as hg from '@hgrad/engine';
import type { SymShape } from '@hgrad/ir';

const { onnx } = onnxProto;
type Attr = onnxProto.onnx.IAttributeProto;
export type AttrValue =
  number | string | readonly number[] | { float: number } | { floats: readonly number[] };

/** The opset the exporter writes (LayerNormalization needs 17; ONNX 1.12+ and onnxruntime ≥ 1.12 read it). */
export const OPSET = 17;
/** ONNX IR version 8 goes with opsets 15–18. */
const IR_VERSION = 8;
export const INT64_MAX = 9223372036854775807n;

export const ELEM = {
  float: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
} as const;

function attribute(name: string, value: AttrValue): Attr {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: T.FLOATS, floats: [...value.floats] };
  return { name, type: T.INTS, ints: [...value] };
}

export class OnnxBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly weights: ReadonlyMap<string, hg.Tensor>) {}

  /** A fresh value name under `base` ("fc1:output/MatMul_3"). */
  fresh(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Adds one node; returns its output names (`outputs` given or made fresh from the op). */
  op(
    type: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    { outputs, count = 1, base = type }: { outputs?: readonly string[]; count?: number; base?: string } = {},
  ): string[] {
    const outs = outputs ? [...outputs] : Array.from({ length: count }, () => this.fresh(`${base}/${type}`));
    for (const o of outs) this.names.add(o);
    this.nodes.push({
      opType: type,
      name: this.fresh(`${base}/${type}#node`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** One-output node. */
  op1(type: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, base = type): string {
    return this.op(type, inputs, attrs, { base })[0]!;
  }

  /** A trained tensor as a float32 initializer under its state-dict name (added once). */
  weight(name: string): string {
    if (this.names.has(name)) return name;
    const t = this.weights.get(name);
    if (!t) throw new Error(`the weights have no tensor '${name}'`);
    return this.floats(name, t.shape, Float32Array.from(t.contiguous().dataSync() as ArrayLike<number>));
  }

  /** A weight that exists only when the layer has it (bias=false layers have none). */
  hasWeight(name: string): boolean {
    return this.weights.has(name);
  }

  /** The values of a trained tensor, for exporters that rearrange them (RNN gate orders). */
  values(name: string): { shape: number[]; data: Float32Array } {
    const t = this.weights.get(name);
    if (!t) throw new Error(`the weights have no tensor '${name}'`);
    return { shape: [...t.shape], data: Float32Array.from(t.contiguous().dataSync() as ArrayLike<number>) };
  }

  floats(name: string, shape: readonly number[], data: Float32Array): string {
    const unique = this.names.has(name) ? this.fresh(name) : name;
    this.names.add(unique);
    this.initializers.push({
      name: unique,
      dataType: ELEM.float,
      dims: [...shape],
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    });
    return unique;
  }

  /** An int64 constant (shapes, axes, slice bounds). */
  ints(
    base: string,
    values: readonly (number | bigint)[],
    shape: readonly number[] = [values.length],
  ): string {
    const name = this.fresh(`${base}/const`);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dataType: ELEM.int64,
      dims: [...shape],
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  }

  /** A float scalar constant (shape []). */
  scalar(base: string, value: number): string {
    return this.floats(this.fresh(`${base}/scalar`), [], Float32Array.of(value));
  }

  encode(
    name: string,
    input: { name: string; elem: number; shape: SymShape },
    output: { name: string; elem: number; shape: SymShape },
    docString: string,
  ): Uint8Array {
    const valueInfo = (v: { name: string; elem: number; shape: SymShape }) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: v.elem,
          shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'homemade-grad',
      producerVersion: '0.1.0',
      docString,
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(input)],
        output: [valueInfo(output)],
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
