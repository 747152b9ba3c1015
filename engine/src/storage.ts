// The memory behind one or more tensors. Views share a Storage and therefore its version
// counter, which in-place ops bump so that autograd can detect stale saved tensors.
import type { Backend, BackendBuffer } from './backend/types.ts';
import type { DType } from './dtype.ts';
import { track } from './scope.ts';

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
  }
}
