// The CLI's memory budget: half the machine's memory, or HGRAD_MEMORY_BUDGET_GB; a bad value is
// refused by name; a graph above it is refused by validate and train before allocating.
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { memoryBudget } from './memory-budget.ts';

describe('memoryBudget', () => {
  it('is half the machine memory unless HGRAD_MEMORY_BUDGET_GB says otherwise', () => {
    expect(memoryBudget({})).toBe(Math.floor(totalmem() / 2));
    expect(memoryBudget({ HGRAD_MEMORY_BUDGET_GB: '0.5' })).toBe(5e8);
    expect(() => memoryBudget({ HGRAD_MEMORY_BUDGET_GB: 'lots' })).toThrow(
      "HGRAD_MEMORY_BUDGET_GB must be a positive number of gigabytes, got 'lots'",
    );
    expect(() => memoryBudget({ HGRAD_MEMORY_BUDGET_GB: '-1' })).toThrow(/positive number/);
  });
});
