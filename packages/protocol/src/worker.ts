// Messages between the UI and the engine worker. Every message carries the protocol version
// and, for requests and their replies, a request id. Errors cross as plain data.
export const PROTOCOL_VERSION = 1;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  nodeId?: string;
}

export type WorkerRequest = { v: typeof PROTOCOL_VERSION; id: number } & (
  { type: 'hello' } | { type: 'evalExpression'; expression: 'matmulCheck'; size: number }
);

export interface EngineInfo {
  backend: string;
  /** A value computed by the engine in the worker, proving it runs there. */
  check: number;
}

export type WorkerReply = { v: typeof PROTOCOL_VERSION; id: number } & (
  | { type: 'hello'; info: EngineInfo }
  | { type: 'value'; value: number }
  | { type: 'error'; error: SerializedError }
);

export type WorkerRequestType = WorkerRequest['type'];

/** Checks an incoming value at the worker's edge: version, id and type. */
export function parseWorkerRequest(
  data: unknown,
): { ok: true; request: WorkerRequest } | { ok: false; error: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, error: 'message must be an object' };
  const m = data as Record<string, unknown>;
  if (m.v !== PROTOCOL_VERSION)
    return { ok: false, error: `unsupported protocol version ${String(m.v)} (expected ${PROTOCOL_VERSION})` };
  if (typeof m.id !== 'number' || !Number.isInteger(m.id))
    return { ok: false, error: 'message id must be an integer' };
  switch (m.type) {
    case 'hello':
      return { ok: true, request: { v: PROTOCOL_VERSION, id: m.id, type: 'hello' } };
    case 'evalExpression':
      if (m.expression !== 'matmulCheck' || typeof m.size !== 'number' || !(m.size >= 1 && m.size <= 1024))
        return { ok: false, error: 'evalExpression needs expression "matmulCheck" and a size in 1..1024' };
      return {
        ok: true,
        request: {
          v: PROTOCOL_VERSION,
          id: m.id,
          type: 'evalExpression',
          expression: 'matmulCheck',
          size: m.size,
        },
      };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(m.type)}` };
  }
}

export function serializeError(e: unknown, nodeId?: string): SerializedError {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    name: err.name,
    message: err.message,
    ...(err.stack ? { stack: err.stack } : {}),
    ...(nodeId ? { nodeId } : {}),
  };
}
