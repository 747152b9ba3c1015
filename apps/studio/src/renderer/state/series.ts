// The run's streamed series, bounded so that a long run costs the page the same memory as a short
// one: every step's loss is kept until there are MAX_LOSSES of them, then neighbouring entries
// merge (their mean) and each entry covers twice as many steps (the stride); epoch rows (the
// charts' and each run record's) are kept until there are MAX_EPOCH_ROWS, then every other one
// goes (the latest always stays).

export const MAX_LOSSES = 2 ** 18;
export const MAX_EPOCH_ROWS = 2000;

/**
 * Writes the losses of steps `firstStep`, `firstStep + 1`, … into `losses` (in place; entry i is
 * the mean of steps i·stride + 1 … (i + 1)·stride) and returns the stride after any merging.
 */
export function appendLosses(
  losses: number[],
  stride: number,
  firstStep: number,
  values: ArrayLike<number>,
  max = MAX_LOSSES,
): number {
  for (let k = 0; k < values.length; k++) {
    const step = firstStep + k;
    const at = Math.floor((step - 1) / stride);
    const seen = (step - 1) % stride;
    const v = values[k]!;
    losses[at] = seen === 0 ? v : losses[at]! + (v - losses[at]!) / (seen + 1);
    if (losses.length > max) {
      const n = losses.length;
      for (let i = 0; i < Math.floor(n / 2); i++) losses[i] = (losses[2 * i]! + losses[2 * i + 1]!) / 2;
      if (n % 2) losses[Math.floor(n / 2)] = losses[n - 1]!;
      losses.length = Math.ceil(n / 2);
      stride *= 2;
    }
  }
  return stride;
}

/** The entries that cover steps 1 … step (for a history saved with a snapshot of that step). */
export const lossesUpTo = (losses: readonly number[], stride: number, step: number): number[] =>
  losses.slice(0, Math.ceil(step / stride));

/**
 * `rows` with `more` appended in order, thinned to every other row (and the latest) each time
 * they exceed `max`: the same rows whether they arrive one at a time or in batches.
 */
export function appendEpochs<Row>(rows: readonly Row[], more: readonly Row[], max = MAX_EPOCH_ROWS): Row[] {
  let out = [...rows];
  for (const row of more) {
    out.push(row);
    if (out.length > max) out = out.filter((_, i) => i % 2 === 0 || i === out.length - 1);
  }
  return out;
}
