import { describe, expect, it } from 'vitest';
import { parseRuntimeRequest, RUNTIME_PROTOCOL_VERSION, serializeError } from './index.ts';

describe('runtime protocol', () => {
  it('validates debug, cancel and debug-inspect requests, naming the field at fault', () => {
    const bad = (m: Record<string, unknown>) => {
      const r = parseRuntimeRequest({ v: RUNTIME_PROTOCOL_VERSION, id: 9, ...m });
      return r.ok ? 'ok' : r.error;
    };
    expect(bad({ type: 'debug', action: 'start', samples: 4 })).toBe('ok');
    expect(bad({ type: 'debug', action: 'fly' })).toBe(
      'debug: action must be one of start, forward, back, jump, end, stop',
    );
    expect(bad({ type: 'debug', action: 'jump' })).toBe(
      'debug: jump needs an index (a step of the plan, or −1)',
    );
    expect(bad({ type: 'debug', action: 'start', samples: 0 })).toBe(
      'debug: samples must be an integer in 1..4096',
    );
    expect(bad({ type: 'cancel', requestId: 'x' })).toBe('cancel: requestId must be the id of a request');
    expect(bad({ type: 'step', steps: 1, stpes: 2 })).toBe("step: unknown field 'stpes'");
    expect(
      bad({ type: 'inspect', target: { kind: 'debug', step: 2, role: 'gradParam', name: 'fc.weight' } }),
    ).toBe('ok');
    expect(bad({ type: 'inspect', target: { kind: 'debug', step: 2, role: 'weird', name: 'x' } })).toBe(
      'inspect: target.role must be one of input, output, gradOutput, gradInput, gradParam, hidden, gradHidden, param',
    );
    expect(bad({ type: 'inspect', target: { kind: 'tensor' } })).toMatch(
      /^inspect: target.kind must be \{kind: 'output'/,
    );
  });

  it('accepts well-formed requests', () => {
    expect(parseRuntimeRequest({ v: RUNTIME_PROTOCOL_VERSION, id: 3, type: 'step', steps: 10 })).toEqual({
      ok: true,
      request: { v: 1, id: 3, type: 'step', steps: 10 },
    });
  });

  it('rejects other versions, bad ids, unknown types and bad fields with a reason', () => {
    expect(parseRuntimeRequest({ v: 2, id: 1, type: 'start' })).toEqual({
      ok: false,
      id: 1,
      error: 'unsupported protocol version 2 (expected 1)',
    });
    expect(parseRuntimeRequest({ v: 1, id: 1.5, type: 'start' })).toEqual({
      ok: false,
      id: -1,
      error: 'message id must be a non-negative integer',
    });
    expect(parseRuntimeRequest({ v: 1, id: 1, type: 'explode' })).toEqual({
      ok: false,
      id: 1,
      error:
        'unknown request type "explode" (known: load, start, pause, stop, step, runEpoch, evaluate, setHyperparameters, resetWeights, getWeights, loadWeights, snapshot, restoreSnapshot, inspect, debug, report, scanTable, decodeImages, predict, gradcheck, generate, measureTable, samples, decisionBoundary, travel, cancel)',
    });
    expect(parseRuntimeRequest(null)).toEqual({ ok: false, id: -1, error: 'message must be an object' });
    expect(parseRuntimeRequest({ v: 1, id: 2, type: 'setHyperparameters', lr: -1 })).toEqual({
      ok: false,
      id: 2,
      error: 'setHyperparameters: lr must be in (0, 10]',
    });
    expect(parseRuntimeRequest({ v: 1, id: 2, type: 'loadWeights', safetensors: 'x' })).toEqual({
      ok: false,
      id: 2,
      error: 'loadWeights: safetensors must be an ArrayBuffer',
    });
  });

  it('serializes errors as plain data', () => {
    const e = new RangeError('bad shape');
    expect(serializeError(e, 'fc1')).toMatchObject({
      name: 'RangeError',
      message: 'bad shape',
      nodeId: 'fc1',
    });
    expect(serializeError('plain')).toMatchObject({ name: 'Error', message: 'plain' });
  });
});
