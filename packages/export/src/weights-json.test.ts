// The JSON weights format: every dtype and non-finite value round-trips; a bad file names the
// tensor and the field.
import * as hg from '@hgrad/engine';
import { describe, expect, it } from 'vitest';
import { readWeightsJson, writeWeightsJson } from './weights-json.ts';

describe('JSON weights', () => {
  it('round-trips dtypes and spells NaN and ±Infinity as strings, never null', () => {
    const tensors = new Map([
      [
        'w',
        hg.tensor(
          [
            [1.5, NaN],
            [Infinity, -Infinity],
          ],
          { dtype: 'float32' },
        ),
      ],
      ['d', hg.tensor([0.1, -2], { dtype: 'float64' })],
      ['n', hg.tensor([3, -4], { dtype: 'int32' })],
      ['b', hg.tensor([true, false])],
    ]);
    const text = writeWeightsJson(tensors, { producer: 'test' });
    expect(text).not.toContain('null');
    const doc = JSON.parse(text);
    expect(doc.tensors.w).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      data: [1.5, 'NaN', 'Infinity', '-Infinity'],
    });
    expect(doc.tensors.b.dtype).toBe('bool');
    const back = readWeightsJson(text);
    if (!back.ok) throw new Error(back.problem);
    expect(back.metadata).toEqual({ producer: 'test' });
    for (const [name, t] of tensors) {
      expect(back.tensors.get(name)!.dtype, name).toBe(t.dtype);
      expect(back.tensors.get(name)!.tolist(), name).toEqual(t.tolist());
    }
  });

  it.each([
    ['{', /^not JSON: /],
    ['{"format": "other", "version": 1, "tensors": {}}', 'format: expected "hgrad-weights", got "other"'],
    [
      '{"format": "hgrad-weights", "version": 2, "tensors": {}}',
      'version: this reader knows version 1, got 2',
    ],
    [
      '{"format": "hgrad-weights", "version": 1, "tensors": {"a": {"dtype": "F32", "shape": [1], "data": [1]}}}',
      'tensors["a"].dtype: expected one of float32, float64, float16, bfloat16, int64, int32, uint8, bool, got "F32"',
    ],
    [
      '{"format": "hgrad-weights", "version": 1, "tensors": {"a": {"dtype": "float32", "shape": [2], "data": [1]}}}',
      'tensors["a"].data: expected 2 values for shape [2], got 1',
    ],
    [
      '{"format": "hgrad-weights", "version": 1, "tensors": {"a": {"dtype": "float32", "shape": [1], "data": [null]}}}',
      'tensors["a"].data[0]: expected a number, "NaN", "Infinity" or "-Infinity", got null',
    ],
    [
      '{"format": "hgrad-weights", "version": 1, "tensors": {"a": {"dtype": "int32", "shape": [1], "data": [1.5]}}}',
      'tensors["a"].data[0]: expected an int32 (-2147483648 to 2147483647), got 1.5',
    ],
  ])('refuses %s', (text, problem) => {
    const r = readWeightsJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});
