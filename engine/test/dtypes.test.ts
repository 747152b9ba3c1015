// PyTorch's dtypes: int64 as the default integer, uint8, float16 and bfloat16 storage, and the
// promotion table between all of them, against values fixtures/generate_dtypes.py took from
// python3-torch. Integers and casts must match exactly; half results are computed in float32 and
// rounded once, as PyTorch's CPU kernels do, so they match bit for bit too (matmul and reductions
// within one half ulp, their float32 accumulation order may differ).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { bfloat16Bits, float16Bits, float16Value, bfloat16Value } from '../src/half.ts';
import { decode, decodeNumber, type Encoded } from './fixture.ts';

interface Fixture {
  torch: string;
  /** The 3×4 float32 input of `results`. */
  input: Encoded;
  promotion: (
    | { a: hg.DType; b: hg.DType; tensor: hg.DType; zeroDim: hg.DType }
    | { a: hg.DType; int: hg.DType; float: hg.DType; bool: hg.DType }
  )[];
  results: Record<string, Encoded>;
  casts: Record<string, Encoded>;
  int64: Record<string, Encoded>;
  uint8: Record<string, Encoded>;
  half: Record<'float16' | 'bfloat16', Record<string, Encoded>> & { source: Encoded; mixed: Encoded };
}
const dir = new URL('./fixtures/', import.meta.url);
const fx = JSON.parse(readFileSync(new URL('dtypes.json', dir), 'utf8')) as Fixture;

function sample(dtype: hg.DType): hg.Tensor {
  if (dtype === 'bool') return hg.tensor([true, false, true]);
  if (dtype === 'uint8') return hg.tensor([1, 2, 250], { dtype });
  if (dtype.startsWith('float') || dtype === 'bfloat16') return hg.tensor([1.5, -2.25, 3.0], { dtype });
  return hg.tensor([1, -2, 3], { dtype });
}

/** Same dtype, shape and values (NaN equal to NaN, −0 equal to 0 as PyTorch's tolist shows). */
function expectSame(what: string, actual: hg.Tensor, expected: Encoded, ulps = 0): void {
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const got = Array.from(actual.dataSync());
  const want = expected.data.map(decodeNumber);
  if (ulps === 0)
    return void expect(got.map((v) => (v === 0 ? 0 : v))).toEqual(want.map((v) => (v === 0 ? 0 : v)));
  // Within `ulps` steps of the dtype's grid.
  const bits = expected.dtype === 'float16' ? float16Bits : bfloat16Bits;
  got.forEach((v, i) =>
    expect(Math.abs(bits(v) - bits(want[i]!)), `${what}[${i}]: ${v} vs ${want[i]}`).toBeLessThanOrEqual(ulps),
  );
}

describe(`dtypes as PyTorch has them (fixtures from torch ${fx.torch})`, () => {
  it('promote every pair of the eight dtypes as result_type does: tensors, 0-d tensors and scalars', () => {
    let checked = 0;
    for (const row of fx.promotion) {
      const x = sample(row.a);
      if ('b' in row) {
        const y = sample(row.b);
        expect(x.add(y).dtype, `${row.a} + ${row.b}`).toBe(row.tensor);
        expect(x.add(y.index(0)).dtype, `${row.a} + 0-d ${row.b}`).toBe(row.zeroDim);
        expect(hg.promoteTypes(row.a, row.b) === row.tensor || row.a === 'bool' || row.b === 'bool').toBe(
          true,
        );
      } else {
        expect(x.add(2).dtype, `${row.a} + 2`).toBe(row.int);
        expect(x.add(2.5).dtype, `${row.a} + 2.5`).toBe(row.float);
        if (row.a !== 'bool') expect(x.add(true).dtype, `${row.a} + true`).toBe(row.bool);
      }
      checked++;
    }
    expect(checked).toBe(8 * 8 + 8);
  });

  it('give int64 where PyTorch does: indices, integer tensors, sums of integers, num_batches_tracked', () => {
    const x = decode(fx.input);
    const ops: Record<string, () => hg.Tensor> = {
      argmax: () => x.argmax(1),
      argminAll: () => x.argmin(),
      maxDimIndices: () => x.max(1).indices,
      sortIndices: () => x.sort(1).indices,
      topkIndices: () => x.topk(2, 1).indices,
      nonzero: () => x.gt(0).nonzero(),
      arange: () => hg.arange(5),
      tensorInts: () => hg.tensor([1, 2, 3]),
      sumInt32: () => hg.tensor([1, 2, 3], { dtype: 'int32' }).sum(),
      sumUint8: () => hg.tensor([200, 100], { dtype: 'uint8' }).sum(),
      sumBool: () => hg.tensor([true, true, false]).sum(),
      cumsumUint8: () => hg.tensor([200, 100], { dtype: 'uint8' }).cumsum(0),
      prodInt32: () => hg.tensor([1000, 1000, 1000], { dtype: 'int32' }).prod(),
      maxPoolIndices: () => hg.F.maxPool2d(x.reshape(1, 1, 3, 4), 2, { returnIndices: true })[1],
      oneHot: () => hg.F.oneHot(hg.tensor([0, 2]), 3),
      uniqueInverse: () => hg.tensor([3, 1, 3]).unique({ returnInverse: true }).inverse!,
      sumHalf: () => hg.tensor([1, 2, 3], { dtype: 'float16' }).sum(),
      meanBf16: () => hg.tensor([1, 2, 4], { dtype: 'bfloat16' }).mean(),
      divUint8: () => hg.tensor([7, 8], { dtype: 'uint8' }).div(2),
      numBatchesTracked: () => new hg.nn.BatchNorm1d(3).stateDict().get('num_batches_tracked')!,
    };
    expect(Object.keys(ops).sort()).toEqual(Object.keys(fx.results).sort());
    for (const [name, op] of Object.entries(ops)) expectSame(name, op(), fx.results[name]!);
    expect(hg.randint(0, 5, [3]).dtype).toBe('int64');
    expect(hg.randperm(4).dtype).toBe('int64');
    expect(hg.multinomial(hg.tensor([0.2, 0.8]), 2).dtype).toBe('int64');
  });

  it('cast floats to integers as PyTorch does on x86 (truncation; out of range: the minimum or a wrap)', () => {
    const floats = [-2.7, -1.5, -0.5, 0, 0.5, 1.5, 2.7, 255.9, 256, 300.7, -300.7, 3e9, -3e9, 2 ** 40 + 0.5];
    const source = hg.tensor([...floats, NaN, Infinity, -Infinity], { dtype: 'float64' });
    for (const dtype of ['int64', 'int32', 'uint8', 'bool'] as const)
      expectSame(`float64 -> ${dtype}`, source.to(dtype), fx.casts[dtype]!);
    const big = hg.tensor([2 ** 40 + 3, -(2 ** 40) - 5, 2 ** 31, 300, -1]);
    for (const dtype of ['int32', 'uint8', 'bool', 'float32', 'float16'] as const)
      expectSame(`int64 -> ${dtype}`, big.to(dtype), fx.casts[`int64->${dtype}`]!);
  });

  it('compute int64 exactly beyond int32 (below 2^53), bitwise ops and shifts 64 bits wide', () => {
    const f = fx.int64;
    const a = decode(f.a!);
    const b = decode(f.b!);
    expect(a.dtype).toBe('int64');
    const ops: Record<string, () => hg.Tensor> = {
      add: () => a.add(b),
      sub: () => a.sub(b),
      mul: () => a.mul(b),
      neg: () => a.neg(),
      abs: () => a.abs(),
      floorDivide: () => a.div(b, { roundingMode: 'floor' }),
      truncDivide: () => a.div(b, { roundingMode: 'trunc' }),
      remainder: () => a.remainder(b),
      fmod: () => a.fmod(b),
      bitwiseAnd: () => a.bitwiseAnd(b),
      bitwiseOr: () => a.bitwiseOr(b),
      bitwiseXor: () => a.bitwiseXor(b),
      bitwiseNot: () => a.bitwiseNot(),
      leftShift: () => hg.tensor([1, 3, -5, 1]).bitwiseLeftShift(hg.tensor([40, 50, 12, 63])),
      rightShift: () => a.bitwiseRightShift(hg.tensor([3, 7, 40, 1, 63])),
      sum: () => a.sum(),
      cumsum: () => a.cumsum(0),
      max: () => a.max(),
      argsort: () => a.argsort(),
      eq: () => a.eq(hg.tensor([2 ** 40 + 3, 0, 2 ** 45, 7, 123456789012])),
      matmul: () => a.reshape(1, 5).matmul(hg.tensor([[3], [-1], [2], [5], [-4]])),
      float: () => a.float(),
      double: () => a.double(),
    };
    for (const [name, op] of Object.entries(ops)) expectSame(`int64 ${name}`, op(), f[name]!);
  });

  it('wrap uint8 arithmetic modulo 256 and promote it as PyTorch does', () => {
    const f = fx.uint8;
    const a = decode(f.a!);
    const b = decode(f.b!);
    const ops: Record<string, () => hg.Tensor> = {
      add: () => a.add(b),
      sub: () => a.sub(b),
      mul: () => a.mul(b),
      neg: () => a.neg(),
      floorDivide: () => a.div(b, { roundingMode: 'floor' }),
      div: () => a.div(b),
      remainder: () => a.remainder(b),
      bitwiseNot: () => a.bitwiseNot(),
      leftShift: () => a.bitwiseLeftShift(1),
      rightShift: () => a.bitwiseRightShift(2),
      addInt: () => a.add(100),
      addInt32: () => a.add(hg.ones([5], { dtype: 'int32' })),
      mulFloat: () => a.mul(0.5),
      sum: () => a.sum(),
      maxAll: () => a.max(),
    };
    for (const [name, op] of Object.entries(ops)) expectSame(`uint8 ${name}`, op(), f[name]!);
  });

  for (const dtype of ['float16', 'bfloat16'] as const)
    it(`store ${dtype} on its grid: casts, ops computed in float32 and rounded back, gradients`, () => {
      const f = fx.half[dtype];
      const source = decode(fx.half.source);
      const h = source.to(dtype);
      expectSame(`${dtype} cast`, h, f.cast!);
      const p = decode(f.p!);
      const m1 = decode(f.m1!);
      const m2 = decode(f.m2!);
      const ops: Record<string, [() => hg.Tensor, number]> = {
        add: [() => h.add(p), 0],
        mul: [() => h.mul(p), 0],
        div: [() => h.div(p), 0],
        exp: [() => p.exp(), 0],
        sqrtAbs: [() => h.abs().sqrt(), 0],
        tanh: [() => p.tanh(), 0],
        sum: [() => p.sum(), 1],
        mean: [() => p.mean(), 1],
        cumsum: [() => p.cumsum(0), 1],
        // PyTorch 1.13 accumulates a bfloat16 matmul in bfloat16 (rounding every step); the engine
        // accumulates in float32 and rounds once, as later PyTorch does: within 4 steps here.
        matmul: [() => m1.matmul(m2), 4],
        addFloat32: [() => p.add(hg.ones([16])), 0],
        addScalar: [() => p.add(0.1), 0],
        addInt64: [() => p.add(hg.arange(16)), 0],
        toFloat64: [() => p.double(), 0],
        toInt64: [() => p.to('int64'), 0],
      };
      let compared = 0;
      for (const [name, [op, ulps]] of Object.entries(ops)) {
        // PyTorch 1.13's CPU lacks some half kernels (exp of float16); those run here all the same.
        if (!f[name]) {
          expect(op().dtype).toBe(dtype);
          continue;
        }
        expectSame(`${dtype} ${name}`, op(), f[name], ulps);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(10);
      const leaf = decode(f.p!).requiresGrad_();
      leaf.mul(leaf).sum().backward();
      expectSame(`${dtype} grad of x²`, leaf.grad!, f.gradSquare!);
      expect(h.elementSize()).toBe(2);
      expectSame(
        'float16 + bfloat16',
        hg.ones([2], { dtype: 'float16' }).add(hg.ones([2], { dtype: 'bfloat16' })),
        fx.half.mixed,
      );
    });

  it('round to the half grids exactly (subnormals, ties to even, overflow, NaN)', () => {
    // float16: 65504 is the largest; 65520 rounds to inf; 2^-24 the smallest subnormal.
    const f16 = (v: number) => float16Value(float16Bits(v));
    expect(
      [65504, 65519.99, 65520, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 1 + 2 ** -11, 1 + 3 * 2 ** -11].map(
        f16,
      ),
    ).toEqual([65504, 65504, Infinity, 2 ** -24, 0, 2 ** -24, 1, 1 + 2 ** -9]);
    expect(Number.isNaN(f16(NaN))).toBe(true);
    expect(Object.is(f16(-0), -0)).toBe(true);
    const bf = (v: number) => bfloat16Value(bfloat16Bits(v));
    expect([1 + 2 ** -8, 1 + 3 * 2 ** -8, 3.4e38].map(bf)).toEqual([1, 1 + 2 ** -6, Infinity]);
    expect(Number.isNaN(bf(NaN))).toBe(true);
  });

  it('read and write U8, I64, I32, BOOL, F16, BF16, F64 and F32 safetensors byte for byte as PyTorch', () => {
    const file = readFileSync(new URL('dtypes.safetensors', dir));
    const want = JSON.parse(readFileSync(new URL('dtypes.safetensors.json', dir), 'utf8')) as Record<
      string,
      Encoded
    >;
    const { tensors } = hg.loadSafetensors(file);
    for (const [name, encoded] of Object.entries(want)) expectSame(name, tensors.get(name)!, encoded);
    const again = hg.saveSafetensors(tensors);
    const body = (bytes: Uint8Array) => {
      const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      return Buffer.from(bytes.subarray(8 + n));
    };
    expect(body(again).equals(body(file))).toBe(true);
  });

  it('cast modules to half and back as PyTorch does: floating tensors only, integer buffers kept', () => {
    const bn = new hg.nn.BatchNorm1d(3).half();
    const state = bn.stateDict();
    expect(state.get('weight')!.dtype).toBe('float16');
    expect(state.get('running_mean')!.dtype).toBe('float16');
    expect(state.get('num_batches_tracked')!.dtype).toBe('int64');
    const lin = new hg.nn.Linear(4, 2).bfloat16();
    const out = lin.forward(hg.randn(3, 4).to('bfloat16'));
    expect(out.dtype).toBe('bfloat16');
    out.sum().backward();
    expect(lin.weight.grad!.dtype).toBe('bfloat16');
    expect(lin.float().weight.dtype).toBe('float32');
    expect(() => lin.to('int64' as 'float32')).toThrow('nn.Module.to only accepts floating point dtypes');
  });

  it('take int64 (and int32) class targets, embedding and gather indices', () => {
    const logits = hg.tensor(
      [
        [2, 0.5, -1],
        [0, 1, 3],
      ],
      { dtype: 'float32' },
    );
    const t64 = hg.tensor([0, 2]);
    const t32 = t64.int();
    expect(t64.dtype).toBe('int64');
    expect(hg.F.crossEntropy(logits, t64).item()).toBeCloseTo(hg.F.crossEntropy(logits, t32).item(), 7);
    const emb = new hg.nn.Embedding(5, 2);
    expect(emb.forward(hg.tensor([4, 1])).tolist()).toEqual(
      emb.forward(hg.tensor([4, 1], { dtype: 'int32' })).tolist(),
    );
    expect(logits.gather(1, hg.tensor([[1], [2]])).tolist()).toEqual([[0.5], [3]]);
    // A uint8 index is a mask, as in PyTorch.
    expect(logits.index(hg.tensor([0, 1], { dtype: 'uint8' })).tolist()).toEqual([[0, 1, 3]]);
    expect(() => hg.F.nllLoss(logits, hg.tensor([0, 2], { dtype: 'uint8' }))).toThrow(
      'nllLoss: expected class-index targets of dtype int64 (or int32), got uint8',
    );
  });

  it('print dtypes as PyTorch does (defaults unsaid)', () => {
    expect(String(hg.tensor([1, 2]))).toBe('tensor([1, 2])');
    expect(String(hg.tensor([1, 2], { dtype: 'int32' }))).toBe('tensor([1, 2], dtype=torch.int32)');
    expect(String(hg.tensor([1, 2], { dtype: 'uint8' }))).toBe('tensor([1, 2], dtype=torch.uint8)');
    expect(String(hg.tensor([1.5], { dtype: 'float16' }))).toBe('tensor([1.5000], dtype=torch.float16)');
  });
});
