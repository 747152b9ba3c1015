import { describe, expect, it } from 'vitest';
import { parseWorkerRequest, PROTOCOL_VERSION, serializeError } from './index.ts';

describe('worker protocol', () => {
  it('accepts well-formed requests', () => {
    expect(parseWorkerRequest({ v: PROTOCOL_VERSION, id: 3, type: 'hello' })).toEqual({
      ok: true,
      request: { v: 1, id: 3, type: 'hello' },
    });
  });

  it('rejects other versions, bad ids and unknown types with a reason', () => {
    expect(parseWorkerRequest({ v: 2, id: 1, type: 'hello' })).toEqual({
      ok: false,
      error: 'unsupported protocol version 2 (expected 1)',
    });
    expect(parseWorkerRequest({ v: 1, id: 1.5, type: 'hello' })).toEqual({
      ok: false,
      error: 'message id must be an integer',
    });
    expect(parseWorkerRequest({ v: 1, id: 1, type: 'explode' })).toEqual({
      ok: false,
      error: 'unknown message type "explode"',
    });
    expect(parseWorkerRequest(null)).toEqual({ ok: false, error: 'message must be an object' });
    expect(
      parseWorkerRequest({ v: 1, id: 1, type: 'evalExpression', expression: 'matmulCheck', size: 5000 }).ok,
    ).toBe(false);
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
