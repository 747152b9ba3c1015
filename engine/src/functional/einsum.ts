// einsum by broadcasting: every operand is permuted and viewed onto one shared label order,
// the operands are multiplied, and the labels missing from the output are summed away.
// Two-operand contractions go through matmul so that they stay fast.
import type { Tensor } from '../tensor.ts';
import { mul } from '../ops/binary.ts';
import { sumRaw } from '../ops/reduce.ts';
import { permuteRaw, reshapeRaw } from '../ops/views.ts';

function parse(equation: string, count: number): { inputs: string[]; output: string } {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const inputs = lhs.split(',');
  if (inputs.length !== count)
    throw new Error(`einsum: the equation has ${inputs.length} operands but ${count} tensors were given`);
  for (const term of [...inputs, rhs ?? ''])
    if (!/^[a-zA-Z]*$/.test(term))
      throw new Error(`einsum: '${term}' is not supported (use letters only; no '...')`);
  for (const term of inputs)
    if (new Set(term).size !== term.length)
      throw new Error(`einsum: repeated label in '${term}' (diagonals) is not supported`);
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

export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const { inputs, output } = parse(equation, operands.length);
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
