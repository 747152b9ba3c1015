// safetensors and checkpoints: exact round trips, malformed files rejected with reasons, and
// resumed training bit-identical to uninterrupted training.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { data, nn, optim } from '../src/index.ts';

describe('safetensors', () => {
  it('round-trips every dtype bit for bit, with metadata and an 8-byte aligned header', () => {
    const tensors = new Map([
      ['w', hg.randn([3, 4])],
      ['d', hg.tensor([Math.PI, -0, 1e-300], { dtype: 'float64' })],
      ['i', hg.tensor([1, -2, 2147483647])],
      ['b', hg.tensor([true, false])],
      ['empty', hg.zeros([0, 3])],
      ['view', hg.arange(6).float().reshape(2, 3).t()],
    ]);
    const bytes = hg.saveSafetensors(tensors, { note: 'hello' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.w).toEqual({ dtype: 'F32', shape: [3, 4], data_offsets: [0, 48] });
    const back = hg.loadSafetensors(bytes);
    expect(back.metadata).toEqual({ note: 'hello' });
    for (const [k, t] of tensors) {
      expect(back.tensors.get(k)!.dtype).toBe(t.dtype);
      expect(back.tensors.get(k)!.shape).toEqual(t.shape);
      expect(Array.from(back.tensors.get(k)!.dataSync())).toEqual(Array.from(t.contiguous().dataSync()));
    }
  });

  it('reads a file held in a Node Buffer (a view into a shared pool)', () => {
    const bytes = hg.saveSafetensors({ a: hg.tensor([1.5, -2], { dtype: 'float32' }), b: hg.arange(3) });
    // A small Buffer lives at an offset inside Node's 8 KiB pool, as readFileSync's do.
    const pooled = Buffer.from(bytes);
    expect(pooled.buffer.byteLength).toBeGreaterThan(bytes.length);
    const { tensors } = hg.loadSafetensors(pooled);
    expect(tensors.get('a')!.tolist()).toEqual([1.5, -2]);
    expect(tensors.get('b')!.tolist()).toEqual([0, 1, 2]);
  });

  it('reads float16 and bfloat16 tensors as PyTorch wrote them, keeping their dtype, and writes them back bit for bit', () => {
    const dir = new URL('./fixtures/', import.meta.url);
    const { tensors } = hg.loadSafetensors(readFileSync(new URL('half.safetensors', dir)));
    const expected = JSON.parse(readFileSync(new URL('half.json', dir), 'utf8')) as Record<
      string,
      (number | string)[]
    >;
    for (const name of ['half', 'bf16']) {
      const t = tensors.get(name)!;
      expect(t.dtype).toBe(name === 'half' ? 'float16' : 'bfloat16');
      expect(t.shape).toEqual([3, 4]);
      const want = expected[name]!.map((v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v));
      expect(Array.from(t.dataSync())).toEqual(want);
    }
    // -0 stays negative zero.
    expect(Object.is(tensors.get('half')!.dataSync()[1], -0)).toBe(true);
    // Saved again, the file is byte-identical to PyTorch's (header and 16-bit data).
    const original = readFileSync(new URL('half.safetensors', dir));
    const again = hg.saveSafetensors(tensors, { format: 'pt' });
    expect(Buffer.from(again).subarray(8 + Number(Buffer.from(again).readBigUInt64LE(0)))).toEqual(
      original.subarray(8 + Number(original.readBigUInt64LE(0))),
    );
  });

  it('reads int64 tensors (as PyTorch writes them) exactly up to 2^53, refusing larger values by name', () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }),
    );
    const file = new Uint8Array(8 + header.length + 16);
    new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
    file.set(header, 8);
    new DataView(file.buffer).setBigInt64(8 + header.length, 5n, true);
    new DataView(file.buffer).setBigInt64(8 + header.length + 8, -7n, true);
    expect(hg.loadSafetensors(file).tensors.get('n')!.tolist()).toEqual([5, -7]);
    new DataView(file.buffer).setBigInt64(8 + header.length, 1n << 40n, true);
    const big = hg.loadSafetensors(file).tensors.get('n')!;
    expect(big.dtype).toBe('int64');
    expect(big.tolist()).toEqual([2 ** 40, -7]);
    // Round trip: the same bytes come back.
    expect(hg.saveSafetensors({ n: big }).subarray(-16)).toEqual(file.subarray(-16));
    new DataView(file.buffer).setBigInt64(8 + header.length, (1n << 53n) + 1n, true);
    expect(() => hg.loadSafetensors(file)).toThrow(
      "safetensors: tensor 'n': int64 value 9007199254740993 is beyond ±2^53, the largest the engine holds exactly",
    );
  });

  it('rejects malformed files, naming the tensor or field', () => {
    const good = hg.saveSafetensors({ a: hg.zeros([2]), b: hg.ones([1]) });
    expect(() => hg.loadSafetensors(good.subarray(0, 4))).toThrow('safetensors: file is 4 bytes, too short');
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => hg.loadSafetensors(huge)).toThrow(
      'safetensors: header length 1099511627776 exceeds the file size',
    );
    const make = (header: unknown, dataBytes = 8) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const f = new Uint8Array(8 + h.length + dataBytes);
      new DataView(f.buffer).setBigUint64(0, BigInt(h.length), true);
      f.set(h, 8);
      return f;
    };
    expect(() => hg.loadSafetensors(make({ a: { dtype: 'F99', shape: [2], data_offsets: [0, 8] } }))).toThrow(
      "tensor 'a': unknown dtype 'F99'",
    );
    // A dtype named like an Object property is no dtype.
    for (const dtype of ['__proto__', 'constructor', 'toString'])
      expect(() => hg.loadSafetensors(make({ a: { dtype, shape: [2], data_offsets: [0, 8] } }))).toThrow(
        `tensor 'a': unknown dtype '${dtype}'`,
      );
    // A shape claiming 8 GB over 8 bytes of data is refused before anything of that size is made.
    expect(() =>
      hg.loadSafetensors(make({ a: { dtype: 'F32', shape: [2 ** 31], data_offsets: [0, 8] } })),
    ).toThrow("tensor 'a': 8 bytes of data do not match shape [2147483648] of F32");
    expect(() => hg.loadSafetensors(make({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))).toThrow(
      "tensor 'a': 8 bytes of data do not match shape [3] of F32",
    );
    expect(() =>
      hg.loadSafetensors(make({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } })),
    ).toThrow("tensor 'a': data_offsets [0,16] fall outside the 8-byte data section");
    expect(() =>
      hg.loadSafetensors(
        make({
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        }),
      ),
    ).toThrow("tensors 'a' and 'b' overlap");
    const broken = make({});
    broken[8] = 0x7b;
    broken[9] = 0x22;
    expect(() => hg.loadSafetensors(broken)).toThrow('safetensors: header is not valid UTF-8 JSON');
  });
});

function setup(seed: number) {
  hg.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 3));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 });
  const scheduler = new optim.StepLR(optimizer, 2, 0.5);
  return { model, optimizer, scheduler };
}

function trainEpochs(
  s: ReturnType<typeof setup>,
  loader: data.DataLoader<hg.Tensor[], hg.Tensor[]>,
  epochs: number,
): void {
  for (let e = 0; e < epochs; e++) {
    for (const [x, y] of loader) {
      s.optimizer.zeroGrad();
      hg.F.crossEntropy(s.model.forward(x!), y!).backward();
      s.optimizer.step();
    }
    s.scheduler.step();
  }
}

describe('checkpoints', () => {
  const { x, y } = data.blobs(120, { seed: 4 });
  const loader = () => new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true });

  it('resume after a checkpoint gives bit-identical results to uninterrupted training', () => {
    const straight = setup(11);
    trainEpochs(straight, loader(), 4);

    const first = setup(11);
    trainEpochs(first, loader(), 2);
    const files = hg.saveCheckpoint(first, { step: 16, epoch: 2, extra: { note: 'half way' } });
    hg.manualSeed(999); // disturb the generator: the checkpoint must restore it

    const resumed = setup(5);
    const info = hg.loadCheckpoint(files, resumed);
    expect(info).toEqual({ step: 16, epoch: 2, extra: { note: 'half way' } });
    trainEpochs(resumed, loader(), 2);

    for (const [k, t] of straight.model.stateDict())
      expect(Array.from(resumed.model.stateDict().get(k)!.dataSync()), k).toEqual(Array.from(t.dataSync()));
    expect(resumed.optimizer.paramGroups[0]!.options.lr).toBe(straight.optimizer.paramGroups[0]!.options.lr);
  });

  it('saveCheckpointAsync writes the same files as saveCheckpoint', async () => {
    const state = setup(3);
    trainEpochs(state, loader(), 1);
    const sync = hg.saveCheckpoint(state, { step: 8, epoch: 1 });
    const async = await hg.saveCheckpointAsync(state, { step: 8, epoch: 1 });
    expect(async.state).toBe(sync.state);
    expect(Buffer.compare(Buffer.from(async.weights), Buffer.from(sync.weights))).toBe(0);
    expect(Object.keys(JSON.parse(sync.state).optimizer.state).length).toBeGreaterThan(0);
  });

  it('a checkpoint of another model says which tensors do not fit', () => {
    const files = hg.saveCheckpoint(setup(0), { step: 0 });
    const other = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 3), new nn.ReLU());
    expect(() => hg.loadCheckpoint(files, { model: other })).toThrow(
      /size mismatch for 0\.weight: copying a param with shape \[16, 2\] from checkpoint, the shape in current model is \[8, 2\]/,
    );
    expect(() => hg.loadCheckpoint({ ...files, state: '{' }, { model: other })).toThrow(
      'checkpoint: the state file is not valid JSON',
    );
    expect(() => hg.loadCheckpoint({ ...files, state: '{"format":"x"}' }, { model: other })).toThrow(
      'checkpoint: not a homemade-grad checkpoint',
    );
  });
});
