// Training: the controls, live metrics, and the charts that show a model learning: loss per
// step, accuracy per epoch, the gradient norm of every layer, and for 2-D data the decision
// boundary, as in TensorFlow Playground.
import { useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRun } from '../state/run-store.ts';
import { LossView } from '../state/loss-view.ts';
import { formatNumber } from '../format.ts';
import { engineCommands } from '../state/engine-controller.ts';
import { useDocument } from '../state/document-store.ts';
import { DatasetPreview } from './DatasetPreview.tsx';
import { DecisionBoundaryView } from './DecisionBoundaryView.tsx';
import { GradNormChart } from './GradNormChart.tsx';
import { LineChart } from './LineChart.tsx';
import { TrainingSettings } from './TrainingSettings.tsx';
import { TimeTravel } from './TimeTravel.tsx';
import { useUi } from '../state/ui-store.ts';
import { alignCurves, runEpochCurve, runLossCurve, RUN_COLORS, type Curve } from './run-overlay.ts';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

export function TrainingControls() {
  const run = useRun((s) => s.run);
  const status = useRun((s) => s.status);
  const epoch = useRun((s) => s.epoch);
  const epochs = useDocument((s) => s.doc.training?.epochs ?? 0);
  const problems = useDocument((s) => s.analysis.problems);
  const commands = engineCommands;
  const busy = status.state === 'loading' || status.state === 'starting';
  const finished = run !== 'training' && epochs > 0 && epoch >= epochs;
  // Why a control cannot run now (its tooltip); null when it can.
  const blocked = problems.length
    ? `The graph has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems[0]!.message}`
    : busy
      ? 'The engine is loading the graph'
      : null;
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
          title={
            blocked ??
            (finished
              ? `The run has done its ${epochs} epochs: train 10 more from the current weights`
              : 'Train from the current weights')
          }
          onClick={() => void commands.train()}
        >
          {run === 'paused' ? 'Resume' : finished ? 'Train 10 more epochs' : 'Train'}
        </button>
      )}
      <button
        data-testid="btn-step"
        disabled={run === 'training' || busy}
        title={
          run === 'training'
            ? 'Pause training to take single steps'
            : (blocked ??
              'One optimisation step on the next batch (to walk through one step node by node, use Step through on the canvas)')
        }
        onClick={() => void commands.step()}
      >
        Train 1 step
      </button>
      <button
        data-testid="btn-stop"
        disabled={run !== 'training' && run !== 'paused'}
        title={
          run !== 'training' && run !== 'paused'
            ? 'Nothing is training'
            : 'Stop; Train continues from these weights'
        }
        onClick={() => void commands.stop()}
      >
        Stop
      </button>
      <button
        data-testid="btn-reset"
        disabled={run === 'training' || run === 'empty'}
        title={
          run === 'training'
            ? 'Pause training first'
            : run === 'empty'
              ? 'No model is loaded'
              : 'Start over: new random weights, step and epoch back to 0'
        }
        onClick={() => void commands.reset()}
      >
        Reset weights
      </button>
    </div>
  );
}

export function TrainingPanel() {
  const step = useRun((s) => s.step);
  const losses = useRun((s) => s.losses);
  const lossStride = useRun((s) => s.lossStride);
  const lastLoss = useRun((s) => s.lastLoss);
  const lossVersion = useRun((s) => s.lossVersion);
  const lossView = useRef(new LossView()).current;
  const epochs = useRun((s) => s.epochs);
  const status = useRun((s) => s.status);
  const throughput = useRun((s) => s.samplesPerSecond);
  const lr = useRun((s) => s.stats?.lr);
  const viewing = useRun((s) => s.history.viewing);
  const last = epochs.at(-1);
  // Earlier runs chosen in the Runs tab are drawn dashed over the live curves.
  // Only the chosen runs are selected (compared one by one), so recording the current run's
  // epochs does not redraw the charts a second time.
  const overlayIds = useUi((s) => s.overlayRuns);
  const overlayRuns = useDocument(
    useShallow((s) => overlayIds.flatMap((id) => s.runs.filter((r) => r.id === id))),
  );
  const overlays = useMemo(
    () => overlayRuns.map((run, i) => ({ run, color: RUN_COLORS[i % RUN_COLORS.length]! })),
    [overlayRuns],
  );
  // Non-finite losses (a diverged run) are gaps, which both scales can draw.
  // A bounded, incrementally kept view: a million-step run draws as fast as a short one.
  const lossChart = useMemo(() => {
    const { x, y } = lossView.update(losses, lossStride);
    const live = { label: 'loss', color: '#3b6cf6', values: y };
    if (!overlays.length) return { x, series: [live] };
    const liveCurve: Curve = { ...live, points: y.map((v, i) => [x[i]!, v]) };
    return alignCurves([liveCurve, ...overlays.map((o) => runLossCurve(o.run, o.color))]);
    // lossVersion: the losses array grows in place.
  }, [losses, lossStride, lossVersion, overlays, lossView]);
  const [logLoss, setLogLoss] = useState(false);
  const accuracyChart = useMemo(() => {
    const x = epochs.map((e) => e.epoch);
    const live = [
      { label: 'train', color: '#9aa3b5', values: epochs.map((e) => e.trainAccuracy) },
      { label: 'validation', color: '#2fa36b', values: epochs.map((e) => e.valAccuracy) },
    ];
    if (!overlays.length) return { x, series: live };
    return alignCurves([
      ...live.map((l) => ({ ...l, points: l.values.map((v, i): [number, number | null] => [x[i]!, v]) })),
      ...overlays.map((o) => ({
        ...runEpochCurve(o.run, 'valAccuracy', o.color),
        label: `${o.run.name} val.`,
      })),
    ]);
  }, [epochs, overlays]);
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
            <dd data-testid="metric-loss">{formatNumber(lastLoss)}</dd>
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
            <dd>{formatNumber(last?.valLoss)}</dd>
          </div>
          <div>
            <dt>samples/s</dt>
            <dd data-testid="metric-throughput">
              {throughput ? Math.round(throughput).toLocaleString('en') : '—'}
            </dd>
          </div>
          <div>
            <dt>lr</dt>
            <dd>{lr !== undefined ? formatNumber(lr, 5) : '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="training__charts">
        <div className="training__chart">
          <label className="chart__toggle" title="A log scale shows a loss that spans orders of magnitude">
            <input
              type="checkbox"
              data-testid="loss-log"
              checked={logLoss}
              onChange={(e) => setLogLoss(e.target.checked)}
            />
            log scale
          </label>
          <LineChart
            x={lossChart.x}
            series={lossChart.series}
            xLabel="step"
            yLabel="loss"
            testId="loss-chart"
            log={logLoss}
            marker={viewing}
          />
          <TimeTravel />
        </div>
        <LineChart
          x={accuracyChart.x}
          series={accuracyChart.series}
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
