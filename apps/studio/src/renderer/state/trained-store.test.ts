// Trained states are kept per model; beyond the limit the oldest saved go first.
import { describe, expect, it } from 'vitest';
import { KEEP_TRAINED, staleRecords } from './trained-store.ts';

describe('trained states', () => {
  it('keep the most recently saved ones and drop the rest', () => {
    const records = Array.from({ length: KEEP_TRAINED + 3 }, (_, i) => ({
      key: `m${i}`,
      savedAt: (i * 7) % 10,
    }));
    const stale = staleRecords(records, KEEP_TRAINED);
    expect(stale.length).toBe(3);
    const kept = records.filter((r) => !stale.includes(r.key));
    expect(Math.min(...kept.map((r) => r.savedAt))).toBeGreaterThanOrEqual(
      Math.max(...records.filter((r) => stale.includes(r.key)).map((r) => r.savedAt)),
    );
    expect(staleRecords(records.slice(0, 2), KEEP_TRAINED)).toEqual([]);
  });
});
