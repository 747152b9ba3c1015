// Numbers that stop being finite stop training with a result that says where: a parameter the
// optimizer step made non-finite is named with the optimizer and its learning rate; a gradient
// that was already non-finite blames backward.
import * as hg from '@hgrad/engine';
import { describe, expect, it } from 'vitest';
import { optimizerFaultError, parametersFinite, TrainingStopped } from './faults.ts';

describe('parameter checks after an optimizer step', () => {
  it('one reduction tells whether every parameter is finite', async () => {
    expect(await parametersFinite([hg.tensor([1, 2]), hg.tensor([[3e38, -3e38]])])).toBe(true);
    expect(await parametersFinite([hg.tensor([1, Infinity])])).toBe(false);
    expect(await parametersFinite([hg.tensor([1, 2]), hg.tensor([NaN])])).toBe(false);
    expect(await parametersFinite([])).toBe(true);
  });

  it('names the parameter, the optimizer and its learning rate, or blames backward', async () => {
    const ok = hg.tensor([1, 2]);
    const blown = hg.tensor([1, Infinity]);
    blown.grad = hg.tensor([0.5, 0.5]);
    const fromStep = await optimizerFaultError(
      [
        ['fc1.weight', ok],
        ['fc2.weight', blown],
      ],
      'sgd',
      1e6,
      20,
    );
    expect(fromStep).toBeInstanceOf(TrainingStopped);
    expect(fromStep.message).toBe(
      "training stopped at step 20: the optimizer step (sgd, lr 1000000) made fc2.weight non-finite though its gradient was finite; lower the learning rate (or the schedule's gamma)",
    );
    expect(fromStep.nodeId).toBe('fc2');
    blown.grad = hg.tensor([NaN, 0]);
    const fromBackward = await optimizerFaultError([['fc2.weight', blown]], 'adam', 0.001, 3);
    expect(fromBackward.message).toBe(
      'training stopped at step 3: the gradient of fc2.weight is not finite (backward overflowed); lower the learning rate or normalise the inputs',
    );
  });
});
