// What the studio tells a person about the engine, in one place (the controller decides when).
import type { EpochMetrics, RecoveryReport } from '@hgrad/protocol';
import type { Problem } from '@hgrad/ir';

export const messages = {
  cannotTrain: (problems: Problem[]) =>
    `Cannot train yet: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more in Problems)` : ''}`,
  finished: (last: EpochMetrics) =>
    `Training finished after ${last.epoch} epochs: ` +
    (last.valLoss !== null ? `validation loss ${last.valLoss.toFixed(4)}` : 'no validation split') +
    (last.valAccuracy !== null ? `, accuracy ${(last.valAccuracy * 100).toFixed(1)}%` : ''),
  crashed: (message: string) => `${message}. Restarting the engine with the last saved weights…`,
  restarted: (report: RecoveryReport) =>
    report.weightsRestored
      ? 'Engine restarted; the last weights snapshot was restored'
      : 'Engine restarted with fresh weights',
};
