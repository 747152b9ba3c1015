// einsum by broadcasting: every operand is permuted and viewed onto one shared label order,
// the operands are multiplied, and the labels missing from the output are summed away. '...'
// stands for the broadcast leading dims (given unused letters); a label repeated within one
// operand ('ii') takes that operand's diagonal first.
import type { Tensor } from '../tensor.ts';
import { diagonal } from './rearrange.ts';
import { mul } from '../ops/binary.ts';
import { sumRaw } from '../ops/reduce.ts';
import { permuteRaw, reshapeRaw } from '../ops/views.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Replaces '...' by letters unused in the equation, one per broadcast dim. */
function expandEllipsis(equation: string, operands: readonly Tensor[]): string {
  const eq = equation.replace(/\s+/g, '');
  if (!eq.includes('...')) return eq;
  const free = [...LETTERS].filter((c) => !eq.includes(c));
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  let most = 0;
  const expanded = terms.map((term, k) => {
    if (!term.includes('...')) return term;
    const dims = (operands[k]?.ndim ?? 0) - (term.length - 3);
    if (dims < 0) throw new Error(`einsum: operand ${k} has fewer dims than '${term}' names`);
    most = Math.max(most, dims);
    // Right-aligned: an operand with fewer broadcast dims takes the last letters.
    return term.replace('...', free.slice(free.length - dims).join(''));
  });
  const ellipsis = free.slice(free.length - most).join('');
  if (rhs === undefined) {
    // Implicit output: the broadcast dims first, then the labels that appear once, sorted.
    const counts = new Map<string, number>();
    for (const c of terms.join('').replace(/\.\.\./g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    const single = [...counts]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .sort()
      .join('');
    return `${expanded.join(',')}->${ellipsis}${single}`;
  }
  return `${expanded.join(',')}->${rhs.replace('...', ellipsis)}`;
}

/** A label repeated in one operand ('ii'): that operand's diagonal, under one label. */
function takeDiagonals(term: string, t: Tensor): [string, Tensor] {
  let labels = term;
  let x = t;
  for (;;) {
    const repeated = [...labels].find((c, i) => labels.indexOf(c) !== i);
    if (repeated === undefined) return [labels, x];
    const first = labels.indexOf(repeated);
    const second = labels.indexOf(repeated, first + 1);
    x = diagonal(x, 0, first, second);
    labels = [...labels].filter((_, i) => i !== first && i !== second).join('') + repeated;
  }
}

function parse(equation: string, count: number): { inputs: string[]; output: string } {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const inputs = lhs.split(',');
  if (inputs.length !== count)
    throw new Error(`einsum: the equation has ${inputs.length} operands but ${count} tensors were given`);
  for (const term of [...inputs, rhs ?? ''])
    if (!/^[a-zA-Z]*$/.test(term))
      throw new Error(`einsum: '${term}' is not a subscript (letters and '...' only)`);
  if (rhs !== undefined && new Set(rhs).size !== rhs.length)
    throw new Error(`einsum: output subscript '${rhs}' repeats a label`);
  // Implicit output: labels that appear exactly once, in alphabetical order.
  const counts = new Map<string, number>();
  for (const c of inputs.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
  const output =
    rhs ??
    [...counts]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .sort()
      .join('');
  for (const c of output)
    if (!counts.has(c)) throw new Error(`einsum: output label '${c}' does not appear in any input`);
  return { inputs, output };
}

export function einsum(equation: string, ...given: Tensor[]): Tensor {
  const parsed = parse(expandEllipsis(equation, given), given.length);
  const operands: Tensor[] = [];
  const inputs = parsed.inputs.map((term, k) => {
    if (given[k]!.ndim !== term.length)
      throw new Error(
        `einsum: operand ${k} has ${given[k]!.ndim} dims but the subscript '${term}' names ${term.length}`,
      );
    const [labels, t] = takeDiagonals(term, given[k]!);
    operands.push(t);
    return labels;
  });
  const output = parsed.output;
  const sizes = new Map<string, number>();
  inputs.forEach((term, k) => {
    const t = operands[k]!;
    if (t.ndim !== term.length)
      throw new Error(
        `einsum: operand ${k} has ${t.ndim} dims but the subscript '${term}' names ${term.length}`,
      );
    [...term].forEach((c, i) => {
      const size = t.shape[i]!;
      const known = sizes.get(c);
      if (known !== undefined && known !== size && known !== 1 && size !== 1)
        throw new Error(`einsum: label '${c}' has size ${known} in one operand and ${size} in another`);
      sizes.set(c, Math.max(known ?? 1, size));
    });
  });
  const summed = [...sizes.keys()].filter((c) => !output.includes(c));
  const order = [...output, ...summed];
  const aligned = operands.map((t, k) => {
    const term = inputs[k]!;
    const present = order.filter((c) => term.includes(c));
    const moved = permuteRaw(
      t,
      present.map((c) => term.indexOf(c)),
    );
    return reshapeRaw(
      moved,
      order.map((c) => (term.includes(c) ? t.shape[term.indexOf(c)]! : 1)),
    );
  });
  let product = aligned.reduce((acc, t) => mul(acc, t));
  if (summed.length > 0)
    product = sumRaw(
      product,
      summed.map((c) => order.indexOf(c)),
    );
  return product;
}
