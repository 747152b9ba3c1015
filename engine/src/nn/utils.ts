// torch.nn.utils: gradient clipping (the same functions as optim's), parameters as one flat
// vector and back, and rnn.padSequence for batching sequences of different lengths.
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { cat, stack } from '../functional/shape.ts';
import { formatShape } from '../shape.ts';
import { pad } from './pad.ts';

export { clipGradNorm_, clipGradValue_ } from '../optim/clip.ts';

/** Every parameter flattened and joined, in order (differentiable, like torch's). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = [...parameters];
  if (list.length === 0) throw new Error('parametersToVector: expected at least one parameter');
  return cat(
    list.map((p) => p.reshape(-1)),
    0,
  );
}

/** Copies consecutive slices of `vector` into the parameters, in order (sizes must add up). */
export function vectorToParameters(vector: Tensor, parameters: Iterable<Tensor>): void {
  const list = [...parameters];
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vector.ndim !== 1 || vector.numel() !== total)
    throw new Error(
      `vectorToParameters: expected a vector of ${total} values for these parameters, got ${formatShape(vector.shape)}`,
    );
  noGrad(() => {
    let at = 0;
    for (const p of list) {
      p.copy_(vector.narrow(0, at, p.numel()).reshape(p.shape));
      at += p.numel();
    }
  });
}

/**
 * Sequences [Lᵢ, *] padded with `paddingValue` to the longest and stacked: [B, L, *] with
 * batchFirst, else [L, B, *] (torch.nn.utils.rnn.pad_sequence).
 */
function padSequence(
  sequences: readonly Tensor[],
  options: { batchFirst?: boolean; paddingValue?: number } = {},
): Tensor {
  const { batchFirst = false, paddingValue = 0 } = options;
  for (const key of Object.keys(options))
    if (key !== 'batchFirst' && key !== 'paddingValue')
      throw new TypeError(`padSequence: unknown option '${key}'; valid options: batchFirst, paddingValue`);
  if (sequences.length === 0) throw new Error('padSequence: received an empty list of sequences');
  const trailing = sequences[0]!.shape.slice(1);
  const longest = Math.max(...sequences.map((s) => s.shape[0] ?? 0));
  const padded = sequences.map((s) => {
    if (s.ndim < 1 || s.shape.slice(1).some((d, i) => d !== trailing[i]) || s.ndim !== trailing.length + 1)
      throw new Error(
        `padSequence: every sequence must be [L, ${trailing.join(', ')}], got ${formatShape(s.shape)}`,
      );
    // F.pad's amounts run from the last dim: zeros for the trailing dims, then (0, missing) for L.
    const amounts = [...new Array<number>(2 * trailing.length).fill(0), 0, longest - s.shape[0]!];
    return longest === s.shape[0] ? s : pad(s, amounts, 'constant', paddingValue);
  });
  return stack(padded, batchFirst ? 0 : 1);
}

/** torch.nn.utils.rnn. */
export const rnn = { padSequence };
