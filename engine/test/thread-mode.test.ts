// The host can keep matmuls on one thread (the studio on 2 cores keeps one for the page), and the
// status line then says why.
import { expect, it } from 'vitest';
import * as hg from '../src/index.ts';

it('says why matmuls stay on one thread when the host keeps them there', () => {
  hg.keepMatmulSingleThreaded('the page keeps one of the 2 cores');
  expect(hg.matmulThreadMode()).toBe('1 thread (the page keeps one of the 2 cores)');
  expect(hg.computeMode('cpu')).toMatch(/, 1 thread \(the page keeps one of the 2 cores\)$/);
});
