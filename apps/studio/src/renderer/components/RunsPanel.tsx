// The runs table: every training run recorded with the document, side by side — settings, graph
// revision, epochs, final validation result — as people use TensorBoard for, with no setup. A
// run can be drawn over the live charts, and its settings restored (one undoable step).
import type { RunRecord } from '@hgrad/ir';
import { formatNumber } from '../format.ts';
import { useDocument } from '../state/document-store.ts';
import { useRun } from '../state/run-store.ts';
import { currentRun, describeTrainingChange, finalResult } from '../state/runs.ts';
import { toast, useUi } from '../state/ui-store.ts';
import { RUN_COLORS } from './run-overlay.ts';

const pct = (v: number | null) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en', { dateStyle: 'short', timeStyle: 'short' });
};

function restoreSettings(run: RunRecord): void {
  const { doc, commands } = useDocument.getState();
  const changes = doc.training ? describeTrainingChange(doc.training, run.training) : [];
  if (!changes.length) return toast('info', `The settings are already those of ${run.name}`);
  commands.setTraining(run.training, `Restore the settings of ${run.name}`);
  toast(
    'info',
    `Restored the settings of ${run.name} (${changes.join(', ')}); they apply to the current weights — Reset weights to train them from scratch`,
  );
}

export function RunsPanel() {
  const runs = useDocument((s) => s.runs);
  const step = useRun((s) => s.step);
  const overlay = useUi((s) => s.overlayRuns);
  const toggle = useUi((s) => s.commands.toggleOverlay);
  const current = currentRun(runs, step);
  // The current run's state is the engine's (after a reload it is stopped, not training).
  const engineRun = useRun((s) => s.run);
  const planned = useDocument((s) => s.doc.training?.epochs ?? 0);
  const epoch = useRun((s) => s.epoch);
  const liveState =
    engineRun === 'training' || engineRun === 'paused'
      ? engineRun
      : planned > 0 && epoch >= planned
        ? 'finished'
        : 'stopped';
  if (!runs.length)
    return (
      <p className="runs__empty" data-testid="runs-empty">
        No runs yet. Each training run is recorded here with its settings and results, to compare runs and
        draw them over the charts.
      </p>
    );
  return (
    <div className="runs" data-testid="runs">
      <table>
        <thead>
          <tr>
            <th title="Draw this run over the loss and accuracy charts">overlay</th>
            <th>run</th>
            <th>started</th>
            <th title="A hash of the graph: runs of the same graph share it">graph</th>
            <th>params</th>
            <th>optimizer</th>
            <th>batch</th>
            <th>epochs</th>
            <th>train loss</th>
            <th>val loss</th>
            <th>val acc.</th>
            <th>state</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {[...runs].reverse().map((run) => {
            const isCurrent = run.id === current?.id;
            const final = finalResult(run);
            const colour = overlay.indexOf(run.id);
            const lastEpoch = run.epochs.at(-1);
            return (
              <tr
                key={run.id}
                data-testid={`run-${run.id}`}
                className={isCurrent ? 'runs__current' : undefined}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Draw ${run.name} over the charts`}
                    data-testid={`run-overlay-${run.id}`}
                    disabled={isCurrent}
                    title={isCurrent ? 'This is the run the charts show' : `Draw ${run.name} over the charts`}
                    checked={colour >= 0}
                    onChange={() => toggle(run.id)}
                  />
                  {colour >= 0 && (
                    <i
                      className="runs__swatch"
                      style={{ background: RUN_COLORS[colour % RUN_COLORS.length] }}
                    />
                  )}
                </td>
                <td>
                  {run.name}
                  {isCurrent && <span className="runs__badge">current</span>}
                </td>
                <td>{time(run.started)}</td>
                <td>{run.model.slice(0, 6)}</td>
                <td>{run.params.toLocaleString('en')}</td>
                <td>
                  {run.training.optimizer.kind} lr {String(run.training.optimizer.lr)}
                  {run.training.schedule ? ` · ${run.training.schedule.kind}` : ''}
                </td>
                <td>{run.training.batchSize}</td>
                <td data-testid={`run-epochs-${run.id}`}>
                  {lastEpoch?.epoch ?? 0}
                  {run.changes.length > 0 && (
                    <span
                      className="runs__changes"
                      title={run.changes.map((c) => `from step ${c.step}: ${c.what}`).join('\n')}
                    >
                      {' '}
                      · {run.changes.length} change{run.changes.length === 1 ? '' : 's'}
                    </span>
                  )}
                </td>
                <td>{formatNumber(lastEpoch?.trainLoss)}</td>
                <td data-testid={`run-val-loss-${run.id}`}>{formatNumber(final.valLoss)}</td>
                <td data-testid={`run-val-acc-${run.id}`}>{pct(final.valAccuracy)}</td>
                <td>{run.ended ? `ended (${run.ended})` : isCurrent ? liveState : run.state}</td>
                <td>
                  <button
                    data-testid={`run-restore-${run.id}`}
                    title={`Use ${run.name}'s training settings (one undoable step)`}
                    onClick={() => restoreSettings(run)}
                  >
                    Restore
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
