// Training: the controls, live metrics, and the charts that show a model learning: loss per
// step, accuracy per epoch, the gradient norm of every layer, and for 2-D data the decision
// boundary, as in TensorFlow Playground.
import { useMemo } from 'react';
import { useRun } from '../state/run-store.ts';
import { engineCommands } from '../state/engine-controller.ts';
import { DatasetPreview } from './DatasetPreview.tsx';
import { DecisionBoundaryView } from './DecisionBoundaryView.tsx';
import { GradNormChart } from './GradNormChart.tsx';
import { LineChart } from './LineChart.tsx';
import { TrainingSettings } from './TrainingSettings.tsx';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

export function TrainingControls() {
  const run = useRun((s) => s.run);
  const status = useRun((s) => s.status);
  const commands = engineCommands;
  const busy = status.state === 'loading' || status.state === 'starting';
  return (
    <div className="controls" role="toolbar" aria-label="Training controls">
      {run === 'training' ? (
        <button className="primary" data-testid="btn-pause" onClick={() => void commands.pause()}>
          Pause
        </button>
      ) : (
        <button
          className="primary"
          data-testid="btn-train"
          disabled={status.state === 'loading'}
          onClick={() => void commands.train()}
        >
          {run === 'paused' ? 'Resume' : 'Train'}
        </button>
      )}
      <button
        data-testid="btn-step"
        disabled={run === 'training' || busy}
        onClick={() => void commands.step()}
      >
        Step
      </button>
      <button
        data-testid="btn-stop"
        disabled={run !== 'training' && run !== 'paused'}
        onClick={() => void commands.stop()}
      >
        Stop
      </button>
      <button
        data-testid="btn-reset"
        disabled={run === 'training' || run === 'empty'}
        onClick={() => void commands.reset()}
      >
        Reset
      </button>
    </div>
  );
}

export function TrainingPanel() {
  const step = useRun((s) => s.step);
  const losses = useRun((s) => s.losses);
  const epochs = useRun((s) => s.epochs);
  const status = useRun((s) => s.status);
  const throughput = useRun((s) => s.samplesPerSecond);
  const lr = useRun((s) => s.stats?.lr);
  const last = epochs.at(-1);
  const lossX = useMemo(() => losses.map((_, i) => i + 1), [losses]);
  const lossSeries = useMemo(() => [{ label: 'loss', color: '#3b6cf6', values: losses }], [losses]);
  const epochX = useMemo(() => epochs.map((e) => e.epoch), [epochs]);
  const accuracySeries = useMemo(
    () => [
      { label: 'train', color: '#9aa3b5', values: epochs.map((e) => e.trainAccuracy) },
      { label: 'validation', color: '#2fa36b', values: epochs.map((e) => e.valAccuracy) },
    ],
    [epochs],
  );
  return (
    <div className="training" aria-label="Training">
      <TrainingSettings trainSamples={status.state === 'ready' ? status.trainSamples : null} />
      <div className="training__live">
        <dl className="metrics">
          <div>
            <dt>step</dt>
            <dd data-testid="metric-step">{step}</dd>
          </div>
          <div>
            <dt>epoch</dt>
            <dd data-testid="metric-epoch">{last ? last.epoch : 0}</dd>
          </div>
          <div>
            <dt>loss</dt>
            <dd data-testid="metric-loss">{losses.length ? losses.at(-1)!.toFixed(4) : '—'}</dd>
          </div>
          <div>
            <dt>train acc.</dt>
            <dd data-testid="metric-train-accuracy">{pct(last?.trainAccuracy)}</dd>
          </div>
          <div>
            <dt>val acc.</dt>
            <dd data-testid="metric-accuracy">{pct(last?.valAccuracy)}</dd>
          </div>
          <div>
            <dt>val loss</dt>
            <dd>{last?.valLoss != null ? last.valLoss.toFixed(4) : '—'}</dd>
          </div>
          <div>
            <dt>samples/s</dt>
            <dd data-testid="metric-throughput">
              {throughput ? Math.round(throughput).toLocaleString('en') : '—'}
            </dd>
          </div>
          <div>
            <dt>lr</dt>
            <dd>{lr !== undefined ? lr.toPrecision(3) : '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="training__charts">
        <LineChart x={lossX} series={lossSeries} xLabel="step" yLabel="loss" testId="loss-chart" />
        <LineChart
          x={epochX}
          series={accuracySeries}
          xLabel="epoch"
          yLabel="accuracy"
          testId="accuracy-chart"
        />
        <GradNormChart />
        <DecisionBoundaryView />
        <DatasetPreview />
      </div>
    </div>
  );
}
