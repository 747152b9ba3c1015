// The memory behind one or more tensors. Views share a Storage and therefore its version
// counter, which in-place ops bump so that autograd can detect stale saved tensors.
// Storage on a backend whose buffers the garbage collector does not manage (WebGPU) is owned by
// the innermost open memory scope (see scope.ts); the scope stack lives here so that a new
// Storage can join it without this module depending on the scope functions.
import type { Backend, BackendBuffer } from './backend/types.ts';
import type { DType } from './dtype.ts';
import { askScopesWith } from './backend/cpu/pool.ts';

export class Storage {
  version = 0;
  /** Freed (see scope.ts): its buffer may already hold another tensor's values. */
  released = false;
  /** Exempt from tidy scopes (parameters' grads, optimizer state, keep()). */
  persistent = false;
  constructor(
    readonly backend: Backend,
    readonly buffer: BackendBuffer,
    readonly dtype: DType,
    readonly size: number,
  ) {
    if (backend.release) track(this);
    // Pooled CPU memory joins the scope too (no finalizer: the GC frees it if no scope does).
    else if (backend.pools?.(buffer)) openScopes[openScopes.length - 1]?.storages.push(this);
  }
}

/** The storages made while a scope is open (scope.ts starts and ends them). */
export interface MemoryScope {
  storages: Storage[];
}

/** Open scopes, outermost first. */
export const openScopes: MemoryScope[] = [];
// The CPU pool puts its arrays in the arena only while a scope is open (pool.ts).
askScopesWith(() => openScopes.length > 0);

const collected =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ backend: Backend; buffer: BackendBuffer }>(({ backend, buffer }) =>
        backend.release!(buffer),
      )
    : null;

/** Called for every new Storage on a backend with explicit memory. */
function track(storage: Storage): void {
  openScopes[openScopes.length - 1]?.storages.push(storage);
  collected?.register(storage, { backend: storage.backend, buffer: storage.buffer }, storage);
}

/**
 * Frees a storage's buffer now (once): a GPU buffer is released, a pooled CPU buffer goes back to
 * its pool; for other garbage-collected buffers a no-op.
 */
export function freeStorage(storage: Storage): void {
  if (storage.released) return;
  const { backend, buffer } = storage;
  if (backend.release) {
    storage.released = true;
    collected?.unregister(storage);
    backend.release(buffer);
  } else if (backend.pools?.(buffer)) {
    storage.released = true;
    backend.recycle!(buffer);
  }
}
