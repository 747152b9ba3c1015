// Errors cross the worker boundary as plain data, naming the graph node when one is at fault.
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  nodeId?: string;
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
