// Bernoulli masks for dropout, from the engine's seeded generator.
import { rand } from '../creation.ts';
import type { Generator } from '../random.ts';
import type { Tensor } from '../tensor.ts';

export function bernoulliMask(
  shape: readonly number[],
  keepProbability: number,
  generator?: Generator,
): Tensor {
  return rand(shape, generator ? { generator } : {}).lt(keepProbability);
}
