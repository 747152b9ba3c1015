// Training controls and live metrics for the open graph.
import { useStudio } from '../store.ts';
import { LossChart } from './LossChart.tsx';

export function TrainingPanel() {
  const run = useStudio((s) => s.run);
  const step = useStudio((s) => s.step);
  const losses = useStudio((s) => s.losses);
  const epochs = useStudio((s) => s.epochs);
  const ready = useStudio((s) => s.engine.state === 'ready');
  const commands = useStudio((s) => s.commands);
  const last = epochs.at(-1);
  return (
    <aside className="panel" aria-label="Training">
      <h2 className="panel__title">Training</h2>
      <div className="panel__buttons">
        {run === 'training' ? (
          <button onClick={() => void commands.pause()}>Pause</button>
        ) : (
          <button disabled={!ready} onClick={() => void commands.train()}>
            {run === 'paused' ? 'Resume' : 'Train'}
          </button>
        )}
        <button disabled={!ready || run === 'training'} onClick={() => void commands.stepOnce()}>
          Step
        </button>
        <button disabled={!ready || run === 'training'} onClick={() => void commands.resetWeights()}>
          Reset
        </button>
      </div>
      <dl className="panel__metrics">
        <dt>step</dt>
        <dd data-testid="metric-step">{step}</dd>
        <dt>loss</dt>
        <dd data-testid="metric-loss">{losses.length ? losses.at(-1)!.toFixed(4) : '—'}</dd>
        <dt>epoch</dt>
        <dd data-testid="metric-epoch">{last ? last.epoch : 0}</dd>
        <dt>val accuracy</dt>
        <dd data-testid="metric-accuracy">
          {last?.valAccuracy != null ? `${(last.valAccuracy * 100).toFixed(1)}%` : '—'}
        </dd>
      </dl>
      <LossChart losses={losses} />
    </aside>
  );
}
