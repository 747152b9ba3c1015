import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { initWebGPU, loadSafetensors, manualSeed, randn, saveSafetensors, zeros } from '@hgrad/engine';
import { readWeightsJson } from '@hgrad/export';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run-cli.test-helper.ts';

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
    expect(r.err).toContain("edge e1: target node 'ghost' does not exist");
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

  it('prints help: all commands for --help, one command’s usage for COMMAND --help (nothing runs)', async () => {
    const all = await run('--help');
    expect(all.code).toBe(0);
    for (const command of ['validate', 'info', 'train', 'export', 'evaluate', 'predict'])
      expect(all.out).toMatch(new RegExp(`^  ${command} FILE`, 'm'));
    const train = await run('train', '--help');
    expect(train.code).toBe(0);
    expect(train.out).toMatch(/^usage: hgrad train FILE \[--epochs N\].*--resume DIR\]\n/);
    expect(train.out).toContain('writes weights.safetensors');
    expect(train.out).not.toContain('export FILE');
    // -h anywhere after the command, even with a file that does not exist: help, not an error.
    const exportHelp = await run('export', '/nonexistent.hgrad.json', '-h');
    expect(exportHelp).toMatchObject({ code: 0, err: '' });
    expect(exportHelp.out).toMatch(/^usage: hgrad export FILE --weights W/);
  });
});

describe('hgrad train, info and export', () => {
  it('trains the blobs example to ≥ 98% and writes weights that export and the engine load', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hgrad-train-'));
    const r = await run('train', example, '--epochs', '8', '--out', out);
    expect(r.code).toBe(0);
    const last = r.out
      .split('\n')
      .filter((l) => l.startsWith('epoch '))
      .at(-1)!;
    const accuracy = Number(/val accuracy ([\d.]+)%/.exec(last)![1]);
    expect(accuracy).toBeGreaterThanOrEqual(98);
    const exported = await run(
      'export',
      example,
      '--weights',
      join(out, 'weights.safetensors'),
      '--format',
      'json',
      '--out',
      join(out, 'w.json'),
    );
    expect(exported).toEqual({ code: 0, out: `exported 4 tensors to ${join(out, 'w.json')}`, err: '' });
    const json = JSON.parse(readFileSync(join(out, 'w.json'), 'utf8'));
    expect([json.format, json.version]).toEqual(['hgrad-weights', 1]);
    expect(Object.keys(json.tensors)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(json.tensors['fc1.weight']).toMatchObject({ dtype: 'float32', shape: [16, 2] });
    const { tensors, metadata } = loadSafetensors(
      new Uint8Array(readFileSync(join(out, 'weights.safetensors'))),
    );
    expect(tensors.get('fc2.bias')!.shape).toEqual([3]);
    expect(JSON.parse(json.metadata.document)).toEqual(JSON.parse(metadata.document!));
    const back = readWeightsJson(readFileSync(join(out, 'w.json'), 'utf8'));
    if (!back.ok) throw new Error(back.problem);
    for (const [name, t] of tensors) expect(back.tensors.get(name)!.tolist(), name).toEqual(t.tolist());

    // The weights file carries its graph: info, predict and export read it alone.
    const weights = join(out, 'weights.safetensors');
    const info = await run('info', weights);
    expect(info.out.split('\n')[0]).toBe('MLP on blobs: 5 nodes, 99 parameters, 160 FLOPs per sample');
    manualSeed(4);
    const x = randn([6, 2]);
    writeFileSync(join(out, 'in.safetensors'), saveSafetensors({ input: x }));
    const predicted = await run(
      'predict',
      weights,
      '--input',
      join(out, 'in.safetensors'),
      '--out',
      join(out, 'out.safetensors'),
    );
    expect(predicted.code).toBe(0);
    expect(predicted.err).toBe('');
    // The output file, then each row's top classes (names and probabilities).
    const lines = predicted.out.split('\n');
    expect(lines[0]).toBe(`predicted 6×3 from input 6×2; wrote ${join(out, 'out.safetensors')}`);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(lines[1]).toMatch(/^1: \d \d+\.\d%, \d \d+\.\d%, \d \d+\.\d%$/);
    const y = loadSafetensors(readFileSync(join(out, 'out.safetensors'))).tensors.get('output')!;
    const w = (k: string) => tensors.get(k)!;
    const want = x
      .matmul(w('fc1.weight').t())
      .add(w('fc1.bias'))
      .relu()
      .matmul(w('fc2.weight').t())
      .add(w('fc2.bias'));
    expect(y.sub(want).abs().max().item()).toBeLessThan(1e-6);
    for (const [format, head] of [
      ['onnx', 'exported the model of MLP on blobs as ONNX (opset 17)'],
      ['pytorch', 'exported the model of MLP on blobs as PyTorch code'],
      ['safetensors', 'exported 4 tensors'],
    ] as const) {
      const target = join(out, `m.${format}`);
      const r2 = await run('export', weights, '--format', format, '--out', target);
      expect(r2.out).toBe(`${head} to ${target}`);
    }
    expect(readFileSync(join(out, 'm.pytorch'), 'utf8')).toContain('self.fc1 = nn.Linear(2, 16, bias=True)');
    const kept = loadSafetensors(readFileSync(join(out, 'm.safetensors'))).metadata;
    expect(JSON.parse(kept.document!)).toEqual(JSON.parse(metadata.document!));
  });

  it('--resume continues a run to the weights an uninterrupted run gives, bit for bit', async () => {
    const [whole, parts] = [
      mkdtempSync(join(tmpdir(), 'hgrad-whole-')),
      mkdtempSync(join(tmpdir(), 'hgrad-parts-')),
    ];
    expect((await run('train', example, '--epochs', '3', '--out', whole)).code).toBe(0);
    expect((await run('train', example, '--epochs', '1', '--out', parts)).code).toBe(0);
    const resumed = await run('train', example, '--epochs', '3', '--resume', parts, '--out', parts);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain(`resuming from ${join(parts, 'checkpoint.json')}: epoch 1, step 15`);
    expect(
      Buffer.compare(
        readFileSync(join(whole, 'weights.safetensors')),
        readFileSync(join(parts, 'weights.safetensors')),
      ),
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(join(parts, 'metrics.json'), 'utf8')) as {
      epoch: number;
      valLoss: number;
    }[];
    const wholeMetrics = JSON.parse(readFileSync(join(whole, 'metrics.json'), 'utf8')) as {
      epoch: number;
      valLoss: number;
    }[];
    expect(metrics.map((m) => [m.epoch, m.valLoss])).toEqual(wholeMetrics.map((m) => [m.epoch, m.valLoss]));
    expect(await run('train', example, '--epochs', '3', '--resume', parts, '--out', parts)).toMatchObject({
      code: 1,
      err: 'hgrad: train: --resume: the checkpoint is at epoch 3 of 3; pass --epochs N (more than 3) to train further',
    });
  });

  it('predict and export refuse what they cannot use, naming it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hgrad-refuse-'));
    writeFileSync(join(out, 'in.safetensors'), saveSafetensors({ x: randn([2, 2]) }));
    writeFileSync(join(out, 'w.safetensors'), saveSafetensors({ 'fc1.weight': randn([16, 2]) }));
    expect(
      await run(
        'predict',
        example,
        '--weights',
        join(out, 'w.safetensors'),
        '--input',
        join(out, 'in.safetensors'),
      ),
    ).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^hgrad: predict: .*w\.safetensors does not fit the graph: .*fc1\.bias/s),
    });
    expect(await run('predict', example, '--input', join(out, 'in.safetensors'))).toMatchObject({
      code: 1,
      err: 'hgrad: predict: --weights W.safetensors is required',
    });
    expect(await run('info', join(out, 'in.safetensors'))).toMatchObject({
      code: 1,
      err: expect.stringContaining('does not carry a graph document in its metadata'),
    });
    expect(
      await run('export', example, '--weights', join(out, 'w.safetensors'), '--format', 'tflite'),
    ).toMatchObject({
      code: 1,
      err: "hgrad: --format must be safetensors or json or onnx or pytorch, got 'tflite'",
    });
  });

  it('trains on WebGPU with --device webgpu to the weights the CPU run writes (or says why not)', async () => {
    const gpu = await initWebGPU().catch((e: Error) => e.message);
    const dirs = [mkdtempSync(join(tmpdir(), 'hgrad-cpu-')), mkdtempSync(join(tmpdir(), 'hgrad-gpu-'))];
    const onGpu = await run('train', example, '--epochs', '2', '--device', 'webgpu', '--out', dirs[1]!);
    if (typeof gpu === 'string') {
      expect(onGpu).toMatchObject({
        code: 1,
        err: expect.stringContaining('--device webgpu: WebGPU is not available'),
      });
      return;
    }
    expect(onGpu.code, onGpu.err).toBe(0);
    expect(onGpu.out).toContain(`(WebGPU on ${gpu.info.adapter})`);
    await run('train', example, '--epochs', '2', '--device', 'cpu', '--out', dirs[0]!);
    const [cpuW, gpuW] = dirs.map(
      (d) => loadSafetensors(new Uint8Array(readFileSync(join(d, 'weights.safetensors')))).tensors,
    );
    for (const [name, t] of cpuW!) {
      const got = Array.from(gpuW!.get(name)!.dataSync());
      Array.from(t.dataSync()).forEach((v, i) => expect(Math.abs(v - got[i]!), name).toBeLessThan(1e-3));
    }
  });

  it('prints a table of nodes, shapes, parameters and FLOPs', async () => {
    const r = await run('info', example);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      'MLP on blobs: 5 nodes, 99 parameters, 160 FLOPs per sample',
      'node  kind              outputs          params  FLOPs',
      'data  Dataset           x [N, 2], y [N]       0      0',
    ]);
  });

  it('rejects weights that do not fit the graph, and unknown options values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-bad-'));
    writeFileSync(join(dir, 'w.safetensors'), saveSafetensors({ 'fc1.weight': zeros([4, 4]) }));
    const r = await run('export', example, '--weights', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('does not fit');
    expect(r.err).toContain('Missing key(s) in state_dict: "fc1.bias", "fc2.weight", "fc2.bias"');
    expect((await run('train', example, '--device', 'tpu')).err).toBe(
      "hgrad: --device must be cpu or webgpu, got 'tpu'",
    );
  });

  it('refuses unknown options (naming the nearest one) and out-of-range or non-decimal numbers', async () => {
    expect(await run('train', example, '--epoch', '2')).toEqual({
      code: 1,
      out: '',
      err: "hgrad: train: unknown option '--epoch' (did you mean '--epochs'?); train takes --epochs, --seed, --device, --out, --limit, --resume",
    });
    expect((await run('train', example, '--seed', '4294967296')).err).toBe(
      "hgrad: --seed must be an integer in 0..4294967295, got '4294967296'",
    );
    expect((await run('train', example, '--epochs', '0')).err).toBe(
      "hgrad: --epochs must be an integer in 1..100000, got '0'",
    );
    expect((await run('train', example, '--limit', '0x10')).err).toBe(
      "hgrad: --limit must be an integer in 1..100000000, got '0x10'",
    );
    expect((await run('info', example, '--verbose', 'yes')).err).toBe(
      "hgrad: info: unknown option '--verbose'; info takes no options",
    );
    expect((await run('trian', example)).err).toContain("unknown command 'trian' (did you mean 'train'?)");
  });
});

describe('hgrad train when numbers stop being finite', () => {
  it('stops with a result that names the node and the learning rate, exit 1, and writes no weights', async () => {
    const doc = JSON.parse(readFileSync(example, 'utf8'));
    // SGD at lr 1 with the rate multiplied by 10⁶ every epoch: the second epoch overflows.
    doc.training = { ...doc.training, epochs: 6, optimizer: { kind: 'sgd', lr: 1, params: {} } };
    doc.training.schedule = { kind: 'exponential', params: { gamma: 1e6 } };
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-blow-'));
    const file = join(dir, 'blow.hgrad.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await run('train', file, '--out', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^hgrad: train: training stopped at step \d+: node \w+ \(Linear\) produced non-finite values .*; the learning rate is now 1000000; the last completed epoch \(1\) is in .*checkpoint\.safetensors; no weights were written$/,
    );
    expect(r.err).not.toContain('internal error');
    expect(() => readFileSync(join(dir, 'out', 'weights.safetensors'))).toThrow(/ENOENT/);
  });
});
