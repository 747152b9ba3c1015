// The handful of tensor operations the backward walk itself needs. They are installed by
// the op modules at load time, which keeps autograd/ free of import cycles with ops/.
import type { DType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';

export interface EngineOps {
  add(a: Tensor, b: Tensor): Tensor;
  addInPlace(target: Tensor, value: Tensor): void;
  sumToShape(t: Tensor, shape: readonly number[]): Tensor | null;
  cast(t: Tensor, dtype: DType): Tensor;
  clone(t: Tensor): Tensor;
  onesLike(t: Tensor): Tensor;
}

export const engineOps = {} as EngineOps;

export function installEngineOps(ops: EngineOps): void {
  Object.assign(engineOps, ops);
}
