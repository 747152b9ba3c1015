// What the studio tells a person about the engine, in one place (the controller decides when).
import type { CarryReport, EpochMetrics, RecoveryReport } from '@hgrad/protocol';
import type { Problem } from '@hgrad/ir';

const shape = (s: readonly number[]) => `[${s.join(',')}]`;
const list = (names: readonly string[], max = 4) =>
  names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');

export const messages = {
  /** An edit that changed parameters: what was kept and what starts afresh. */
  carried: (report: CarryReport) =>
    `${report.kept.length ? `Kept ${list(report.kept)}; ` : 'No trained weights fit the new graph; '}` +
    `initialised ${list(report.initialized.map((p) => `${p.name} (${p.was ? `${shape(p.was)} → ` : 'new, '}${shape(p.shape)})`))}`,
  restoredTraining: (epoch: number, step: number) =>
    `Restored the trained weights, optimizer state and charts saved with this graph (epoch ${epoch}, step ${step})`,
  restoredVersion: () => 'Restored the trained weights this version of the graph had',
  pausedForEdit: (report: CarryReport) =>
    `Training paused: the edit changed ${list(report.initialized.map((p) => p.name))}. Train continues with the new graph.`,
  cannotTrain: (problems: Problem[]) =>
    `Cannot train yet: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more in Problems)` : ''}`,
  finished: (last: EpochMetrics) =>
    `Training finished after ${last.epoch} epochs: ` +
    (last.valLoss !== null ? `validation loss ${last.valLoss.toFixed(4)}` : 'no validation split') +
    (last.valAccuracy !== null ? `, accuracy ${(last.valAccuracy * 100).toFixed(1)}%` : ''),
  crashed: (message: string) =>
    /allocation failed|out of memory|invalid (typed )?array (buffer )?length/i.test(message)
      ? `The engine ran out of memory (${message}); a smaller batch size or model needs less. Restarting the engine with the last saved weights…`
      : `${message}. Restarting the engine with the last saved weights…`,
  deviceLost: (message: string) =>
    `${message.replace(/; set the device to CPU.*$/, '')}. Restarting the engine with the last saved weights (on the CPU if WebGPU is gone)…`,
  restarted: (report: RecoveryReport) =>
    report.weightsRestored
      ? 'Engine restarted; the last weights snapshot was restored'
      : 'Engine restarted with fresh weights',
};
