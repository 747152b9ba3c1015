// The runtime driven through the protocol, in a real Node worker_thread.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import { loadGraph } from '@hgrad/ir';
import { prepareRun } from '@hgrad/train';
import type { RuntimeClient, RuntimeEvent } from '@hgrad/protocol';
import { startNodeRuntime } from './node-client.ts';

const exampleText = readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8');
const example = JSON.parse(exampleText);
const workers: { terminate(): Promise<number> }[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function start(timeoutMs?: number): {
  client: RuntimeClient;
  events: RuntimeEvent[];
  worker: { terminate(): Promise<number> };
} {
  const { client, worker } = startNodeRuntime(timeoutMs);
  workers.push(worker);
  const events: RuntimeEvent[] = [];
  client.on((e) => events.push(e));
  return { client, events, worker };
}

async function inProcessLosses(epochs: number): Promise<number[]> {
  const r = loadGraph(exampleText);
  if (!r.ok) throw new Error('example');
  const { run } = await prepareRun(r.graph, { overrides: { epochs } });
  const losses: number[] = [];
  while (!run.finished) {
    const p = await run.next();
    if (p.kind === 'step') losses.push(p.loss);
  }
  return losses;
}

describe('runtime over the worker protocol', () => {
  it('an edited graph continues the run: unchanged parameters keep their trained values', async () => {
    const { client } = start();
    await client.request({ type: 'load', document: example });
    for (let e = 0; e < 2; e++) await client.request({ type: 'runEpoch' });
    // A settings change (learning rate, batch size): everything carries over, counters continue.
    const settings = structuredClone(example);
    settings.training.optimizer.lr = 0.002;
    settings.training.batchSize = 16;
    const continued = await client.request({ type: 'load', document: settings, continueRun: true });
    expect(continued).toMatchObject({
      type: 'loaded',
      step: 30,
      epoch: 2,
      carried: {
        kept: ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
        initialized: [],
        counters: true,
      },
    });
    const trained = await client.request({ type: 'evaluate' });
    expect(trained.type === 'metrics' && trained.valAccuracy!).toBeGreaterThanOrEqual(0.98);
    await client.request({ type: 'step', steps: 1 });
    expect(client.lossHistory.at(-1)).toBeLessThan(0.3);
    // A structural change keeps what fits and names what it initialised.
    const wider = structuredClone(settings);
    wider.nodes.find((n: { id: string }) => n.id === 'fc1').params.outFeatures = 24;
    wider.nodes.find((n: { id: string }) => n.id === 'fc2').params.inFeatures = 24;
    expect(await client.request({ type: 'load', document: wider, continueRun: true })).toMatchObject({
      type: 'loaded',
      params: 147,
      carried: {
        kept: ['fc2.bias'],
        initialized: [
          { name: 'fc1.weight', shape: [24, 2], was: [16, 2] },
          { name: 'fc1.bias', shape: [24], was: [16] },
          { name: 'fc2.weight', shape: [3, 24], was: [3, 16] },
        ],
        counters: true,
      },
    });
    // Without continueRun (another document) the run starts afresh.
    expect(await client.request({ type: 'load', document: example })).toMatchObject({ step: 0, epoch: 0 });
  });

  it('trains the blobs MLP to ≥ 98% and streams exactly the in-process losses', async () => {
    const { client, events } = start();
    expect(await client.request({ type: 'load', document: example })).toEqual({
      type: 'loaded',
      params: 99,
      nodes: 5,
      trainSamples: 480,
      valSamples: 120,
      compute: 'WASM SIMD, 1 thread (not started)',
      device: 'cpu',
      step: 0,
      epoch: 0,
    });
    for (let e = 0; e < 3; e++) await client.request({ type: 'runEpoch' });
    const metrics = await client.request({ type: 'evaluate' });
    expect(metrics.type === 'metrics' && metrics.valAccuracy! >= 0.98).toBe(true);
    expect(client.lossHistory).toEqual(await inProcessLosses(3));
    expect(
      events.flatMap((e) => (e.type === 'epochs' ? e.closed.map((c) => [c.report.epoch, c.step]) : [])),
    ).toEqual([1, 2, 3].map((epoch) => [epoch, epoch * Math.ceil(480 / example.training.batchSize)]));
  });

  it('batches 10,000 fast steps into a bounded number of messages with a complete history', async () => {
    const { client, events } = start(120_000);
    const tiny = structuredClone(example);
    tiny.nodes[1].params.outFeatures = 4;
    tiny.nodes[3].params.inFeatures = 4;
    tiny.training.batchSize = 8;
    await client.request({ type: 'load', document: tiny });
    const started = performance.now();
    await client.request({ type: 'step', steps: 10_000 }, { timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    const lossMessages = events.filter((e) => e.type === 'losses').length;
    expect(client.lossHistory.length).toBe(10_000);
    expect(client.lossHistory.every(Number.isFinite)).toBe(true);
    // At most one batch per 1/60 s (+ the reply's flush), however many epochs close meanwhile.
    expect(lossMessages).toBeLessThanOrEqual(Math.ceil(seconds * 60) + 1);
    expect(lossMessages).toBeLessThan(10_000 / 10);
    // Every epoch arrives, in order, each with the step it closed at (60 steps an epoch).
    const epochMessages = events.filter((e) => e.type === 'epochs');
    const closed = epochMessages.flatMap((e) => (e.type === 'epochs' ? e.closed : []));
    expect(closed.map((c) => [c.report.epoch, c.step])).toEqual(
      Array.from({ length: Math.floor(9_999 / 60) }, (_, i) => [i + 1, (i + 1) * 60]),
    );
    expect(epochMessages.length).toBeLessThanOrEqual(Math.ceil(seconds * 60) + 1);
  }, 120_000);

  it('reports validation and test splits by name: confusion matrix, per-class scores, listed samples with inputs', async () => {
    const { client } = start();
    await client.request({ type: 'load', document: example });
    for (let e = 0; e < 2; e++) await client.request({ type: 'runEpoch' });
    const metrics = await client.request({ type: 'evaluate' });
    const r = await client.request({ type: 'report', split: 'validation', examples: 5 });
    if (r.type !== 'report' || metrics.type !== 'metrics' || !r.report) throw new Error('expected a report');
    expect(r.report.split).toBe('validation');
    expect(r.report.accuracy).toBeCloseTo(metrics.valAccuracy!, 12);
    expect(r.report.loss).toBeCloseTo(metrics.valLoss!, 5);
    const confusion = r.report.confusion!;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(r.report.samples);
    expect(r.report.misclassified!.length).toBeLessThanOrEqual(5);
    // The listed samples come with their inputs (2 features each here).
    expect(r.inputShape).toEqual([2]);
    const listed = [...r.report.misclassified!, ...r.report.correct!].map((m) => m.index);
    expect(r.inputs.indices.sort((a, b) => a - b)).toEqual([...new Set(listed)].sort((a, b) => a - b));
    expect(r.inputs.values.length).toBe(2 * r.inputs.indices.length);
    expect(r.report.correct!.every((c) => c.truth === c.predicted)).toBe(true);
    // Blobs has no test split: the result says so instead of calling validation a test.
    const test = await client.request({ type: 'report', split: 'test' });
    expect(test).toMatchObject({
      type: 'report',
      report: null,
      reason: "dataset 'blobs' has no test split of its own (Fashion-MNIST has one: its t10k images)",
    });
    await expect(client.request({ type: 'report', split: 'train' as 'test' })).rejects.toThrow(
      "report: split must be 'validation' or 'test'",
    );
  });

  it('predicts one typed sample with class probabilities, and refuses a wrong-sized one by its shape', async () => {
    const { client } = start();
    await client.request({ type: 'load', document: example });
    for (let e = 0; e < 3; e++) await client.request({ type: 'runEpoch' });
    const samples = await client.request({ type: 'samples', count: 4 });
    if (samples.type !== 'samples') throw new Error('samples');
    for (const s of samples.samples) {
      const r = await client.request({ type: 'predict', values: s.x });
      if (r.type !== 'prediction') throw new Error('prediction');
      expect(r.output.length).toBe(3);
      expect(r.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      // The most probable class is the logits' argmax (softmax keeps the order).
      const best = r.probabilities!.indexOf(Math.max(...r.probabilities!));
      expect(best).toBe(r.output.indexOf(Math.max(...r.output)));
      expect(best).toBe(s.y[0]);
    }
    await expect(client.request({ type: 'predict', values: [1, 2, 3] })).rejects.toThrow(
      'predict: expected 2 values (one sample of shape [2]), got 3',
    );
    await expect(
      client.request({ type: 'generate', prompt: 'a', length: 3, temperature: 1 }),
    ).rejects.toThrow('generate: this graph does not read text (only character models generate)');
  });

  it('a character model continues a prompt, repeatably per seed, with characters it knows', async () => {
    const { client } = start();
    const charRnn = JSON.parse(
      readFileSync(new URL('../../../examples/char-rnn.hgrad.json', import.meta.url), 'utf8'),
    );
    const text = readFileSync(new URL('../../../data/text/genesis-kjv.txt', import.meta.url), 'utf8');
    await client.request({ type: 'load', document: charRnn, files: { text } });
    await client.request({ type: 'step', steps: 5 });
    const a = await client.request({
      type: 'generate',
      prompt: 'In the beginning',
      length: 24,
      temperature: 0.8,
      seed: 3,
    });
    const b = await client.request({
      type: 'generate',
      prompt: 'In the beginning',
      length: 24,
      temperature: 0.8,
      seed: 3,
    });
    if (a.type !== 'generated' || b.type !== 'generated') throw new Error('generated');
    expect(a.text.length).toBe(24);
    expect(b.text).toBe(a.text);
    const known = new Set(text);
    expect([...a.text].every((c) => known.has(c))).toBe(true);
    await expect(
      client.request({ type: 'generate', prompt: 'naïve ☃', length: 3, temperature: 1 }),
    ).rejects.toThrow('generate: the prompt has characters the model never saw ("ï", "☃")');
    await expect(
      client.request({ type: 'generate', prompt: 'a', length: 3, temperature: 0 }),
    ).rejects.toThrow('generate: temperature must be a number in [0.05, 5]');
  });

  it('starts, pauses and reports its state', async () => {
    const { client, events } = start();
    await client.request({ type: 'load', document: example });
    expect(await client.request({ type: 'start' })).toMatchObject({ type: 'ok', state: 'training' });
    await new Promise((r) => setTimeout(r, 150));
    const paused = await client.request({ type: 'pause' });
    expect(paused).toMatchObject({ type: 'ok', state: 'paused' });
    const stepAtPause = paused.type === 'ok' ? paused.step : -1;
    expect(stepAtPause).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(await client.request({ type: 'evaluate' })).toMatchObject({ type: 'metrics' });
    expect(client.lossHistory.length).toBe(stepAtPause);
    expect(events.some((e) => e.type === 'state' && e.state === 'training')).toBe(true);
  });

  it('returns graph problems as data and protocol errors as errors', async () => {
    const { client } = start();
    const broken = structuredClone(example);
    broken.nodes[1].params.inFeatures = 7;
    const r = await client.request({ type: 'load', document: broken });
    expect(r).toEqual({
      type: 'problems',
      problems: [
        {
          path: 'node fc1',
          nodeId: 'fc1',
          message:
            'node fc1 (Linear): Linear expects 7 input features in the last dim, got [N,2]; set inFeatures to 2',
        },
      ],
    });
    await expect(client.request({ type: 'step', steps: 0 })).rejects.toThrow(
      'step: steps must be an integer in 1..1000000',
    );
    await expect(client.request({ type: 'evaluate' })).rejects.toThrow(
      'no graph is loaded: send a load request first',
    );
  });

  it('returns trained weights as safetensors the engine loads, and accepts them back', async () => {
    const { client } = start();
    await client.request({ type: 'load', document: example });
    await client.request({ type: 'step', steps: 5 });
    const w = await client.request({ type: 'getWeights' });
    if (w.type !== 'weights') throw new Error('expected weights');
    expect(w.names).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    const tensors = hg.loadSafetensors(new Uint8Array(w.safetensors)).tensors;
    expect(tensors.get('fc1.weight')!.shape).toEqual([16, 2]);
    await client.request({ type: 'resetWeights' });
    const again = await client.request({
      type: 'loadWeights',
      safetensors: hg.saveSafetensors(tensors).buffer as ArrayBuffer,
    });
    expect(again).toMatchObject({ type: 'ok', state: 'ready' });
  });

  it('times out a request instead of hanging, and notices a dead worker', async () => {
    const { client, worker } = start();
    await client.request({ type: 'load', document: example });
    await expect(client.request({ type: 'step', steps: 200_000 }, { timeoutMs: 50 })).rejects.toThrow(
      "request 'step' timed out after 50 ms",
    );
    const pending = client.request({ type: 'evaluate' }, { timeoutMs: 60_000 });
    await worker.terminate();
    await expect(pending).rejects.toThrow(/the engine worker stopped/);
    await expect(client.request({ type: 'evaluate' })).rejects.toThrow(/the engine worker stopped/);
  }, 60_000);
});

describe('faults', () => {
  it('a NaN during training pauses it and names the first node and op that produced it', async () => {
    const { client, events } = start();
    const doc = {
      format: 'hgrad',
      version: 1,
      metadata: { name: 'diverging' },
      nodes: [
        { id: 'data', kind: 'Dataset', params: { name: 'sine' }, position: { x: 0, y: 0 } },
        { id: 'fc', kind: 'Linear', params: { inFeatures: 1, outFeatures: 1 }, position: { x: 0, y: 0 } },
        { id: 'loss', kind: 'MSELoss', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: { node: 'data', port: 'x' }, target: { node: 'fc', port: 'input' } },
        { id: 'e2', source: { node: 'fc', port: 'output' }, target: { node: 'loss', port: 'input' } },
        { id: 'e3', source: { node: 'data', port: 'y' }, target: { node: 'loss', port: 'target' } },
      ],
      training: {
        dataset: { name: 'sine', params: {}, validationSplit: 0.2 },
        optimizer: { kind: 'sgd', lr: 10, params: {} },
        batchSize: 8,
        epochs: 50,
        seed: 0,
        device: 'cpu',
      },
    };
    await client.request({ type: 'load', document: doc });
    await client.request({ type: 'start' });
    await expect.poll(() => events.find((e) => e.type === 'fault'), { timeout: 20_000 }).toBeTruthy();
    const fault = events.find((e) => e.type === 'fault');
    if (fault?.type !== 'fault') throw new Error('no fault');
    // The weights grow until squaring the error overflows: the loss node is the first to go non-finite.
    expect(fault.error.nodeId).toBe('loss');
    expect(fault.error.message).toMatch(
      /^training stopped at step \d+: node loss \(MSELoss\) produced non-finite values \(Anomaly detected: forward op '\w+' produced (nan|inf) values in its output\); the learning rate is now [\d.e+-]+$/,
    );
    expect(await client.request({ type: 'evaluate' })).toMatchObject({ type: 'metrics' });
    expect(events.some((e) => e.type === 'state' && e.state === 'paused')).toBe(true);
  }, 30_000);
});

describe('inspection', () => {
  it('summarises node outputs, parameters and gradients with histograms and heatmaps', async () => {
    const { client } = start();
    await client.request({ type: 'load', document: example });
    await expect(
      client.request({ type: 'inspect', target: { kind: 'output', nodeId: 'fc1', port: 'output' } }),
    ).rejects.toThrow('inspect: node fc1 has no values yet: take a training step first');
    await client.request({ type: 'step', steps: 3 });
    const out = await client.request({
      type: 'inspect',
      target: { kind: 'output', nodeId: 'act1', port: 'output' },
      full: true,
    });
    if (out.type !== 'inspection') throw new Error('expected an inspection');
    const { inspection: i } = out;
    expect(i.shape).toEqual([32, 16]);
    expect(i.summary.count).toBe(512);
    expect(i.summary.min).toBe(0);
    expect(i.histogram.counts.reduce((a, b) => a + b, 0)).toBe(512);
    expect([i.heatmap.rows, i.heatmap.cols]).toEqual([32, 16]);
    expect(i.values!.length).toBe(512);
    expect(Math.max(...i.values!)).toBe(i.summary.max);
    const w = await client.request({ type: 'inspect', target: { kind: 'parameter', name: 'fc1.weight' } });
    expect(w.type === 'inspection' && w.inspection.shape).toEqual([16, 2]);
    const g = await client.request({ type: 'inspect', target: { kind: 'gradient', name: 'fc2.bias' } });
    expect(g.type === 'inspection' && g.inspection.summary.nan).toBe(0);
    await expect(
      client.request({ type: 'inspect', target: { kind: 'parameter', name: 'nope' } }),
    ).rejects.toThrow("inspect: no parameter named 'nope'");
  });
});
