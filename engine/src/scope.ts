// Memory ownership: for backends whose buffers the garbage collector does not manage (WebGPU),
// and for the CPU's large kernel outputs, which go back to its buffer pool (backend/cpu/pool.ts)
// for the next step instead of being made afresh. Storage made inside tidy() belongs to that
// scope and is freed when it ends, unless it is returned from it, kept (keep), or adopted by
// something long-lived: a parameter's .grad, an optimizer's state, a module's parameters and
// buffers. A tensor used after its memory was freed throws. Storage made outside any scope lives
// until dispose() or until the garbage collector finds it unreachable. Small CPU tensors are
// never tracked.
import {
  freeStorage as free,
  openScopes as scopes,
  type MemoryScope as Scope,
  type Storage,
} from './storage.ts';
import { Tensor } from './tensor.ts';

/** The storages of every tensor found in a value (tensors, arrays, plain objects, Maps). */
function storagesIn(value: unknown, into: Set<Storage>, seen = new Set<unknown>()): Set<Storage> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return into;
  seen.add(value);
  if (value instanceof Tensor) {
    into.add(value.storage);
    // A kept tensor keeps its gradient (retainGrad() on an intermediate).
    if (value.grad) into.add(value.grad.storage);
    return into;
  }
  const children =
    value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value);
  for (const child of children) storagesIn(child, into, seen);
  return into;
}

export function startScope(): Scope {
  const scope: Scope = { storages: [] };
  scopes.push(scope);
  return scope;
}

/** Ends a scope: frees its storage except what `result` holds, which moves to the enclosing scope. */
export function endScope(scope: Scope, result?: unknown): void {
  const at = scopes.lastIndexOf(scope);
  if (at === -1) throw new Error('endScope: this scope has already ended');
  scopes.splice(at, 1);
  const kept = storagesIn(result, new Set());
  const parent = scopes[scopes.length - 1];
  for (const s of scope.storages) {
    if (s.persistent || s.released) continue;
    if (kept.has(s)) parent?.storages.push(s);
    else free(s);
  }
}

/**
 * Runs fn and frees the memory of every tensor it made (GPU buffers; large CPU buffers go back to
 * the pool), except the tensors it returns (like TensorFlow.js's tidy). fn must be synchronous;
 * for a step with awaits use startScope/endScope.
 */
export function tidy<T>(fn: () => T): T {
  const scope = startScope();
  let result: T | undefined;
  try {
    result = fn();
    if (result instanceof Promise)
      throw new Error('tidy: fn returned a Promise; use startScope()/endScope()');
    return result;
  } finally {
    endScope(scope, result);
  }
}

/** Exempts a tensor's memory from every scope: it lives until dispose() (or collection). */
export function keep<T extends Tensor>(t: T): T {
  t.storage.persistent = true;
  return t;
}

/** Frees what a value holds except persistent memory (parameters, gradients, optimizer state). */
export function release(value: unknown): void {
  for (const s of storagesIn(value, new Set())) if (!s.persistent) free(s);
}

/** Frees the memory of tensors now (on the CPU: large pooled buffers only); using them afterwards is an error. */
export function dispose(value: unknown): void {
  for (const s of storagesIn(value, new Set())) free(s);
}
