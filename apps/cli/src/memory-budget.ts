// How much memory a command may plan to use for training a graph: half the machine's memory, or
// HGRAD_MEMORY_BUDGET_GB. A graph estimated above it is refused before anything is allocated.
import { totalmem } from 'node:os';
import { UserError } from './io.ts';

export function memoryBudget(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const given = env.HGRAD_MEMORY_BUDGET_GB;
  if (given === undefined || given === '') return Math.floor(totalmem() / 2);
  const gb = Number(given);
  if (!Number.isFinite(gb) || gb <= 0)
    throw new UserError(`HGRAD_MEMORY_BUDGET_GB must be a positive number of gigabytes, got '${given}'`);
  return gb * 1e9;
}
