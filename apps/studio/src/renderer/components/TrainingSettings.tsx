// The training configuration of the document: dataset (the Dataset node's, the one place a
// document names it), validation split, optimizer, learning rate and schedule (with a preview of
// the curve), batch size, epochs, seed, device. Each change is an undo step.
import { useMemo } from 'react';
import { DATASETS, datasetNodeOf, ImagesSpecSchema, TableSpecSchema, type TrainingConfig } from '@hgrad/ir';
import { scheduleCurve } from '@hgrad/train/lr-curve';
import { useDocument } from '../state/document-store.ts';
import { toast } from '../state/ui-store.ts';
import { LineChart } from './LineChart.tsx';

type Schedule = NonNullable<TrainingConfig['schedule']>;
const SCHEDULES: Record<Schedule['kind'] | 'none', string> = {
  none: 'constant',
  step: 'step (×0.5 every 5 epochs)',
  exponential: 'exponential (×0.95 per epoch)',
  cosine: 'cosine annealing',
  linear: 'linear warm-up (5 epochs)',
  onecycle: 'one-cycle',
};
const SCHEDULE_PARAMS: Partial<Record<Schedule['kind'], Record<string, number>>> = {
  step: { stepSize: 5, gamma: 0.5 },
};

const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;

/** A labelled select; `choices` are [value, title] pairs. */
function ChoiceSetting({
  label,
  value,
  choices,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  choices: [string, string][];
  onChange(value: string): void;
  testId: string;
}) {
  return (
    <label className="setting">
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map(([v, title]) => (
          <option key={v} value={v}>
            {title}
          </option>
        ))}
      </select>
    </label>
  );
}

function NumberSetting({
  label,
  value,
  min,
  max,
  step,
  onChange,
  testId,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange(v: number): void;
  testId: string;
}) {
  return (
    <label className="setting">
      {label}
      <input
        type="number"
        data-testid={testId}
        defaultValue={value}
        key={value}
        min={min}
        max={max}
        step={step ?? 'any'}
        onBlur={(e) => {
          const v = Number(e.target.value);
          if (!Number.isFinite(v) || v < min || v > max) {
            toast('error', `${label} must be between ${min} and ${max}`);
            e.target.value = String(value);
          } else if (v !== value) onChange(v);
        }}
      />
    </label>
  );
}

/**
 * The built-in datasets, and the user's own table or image folder when the Dataset node reads one
 * (named by its file, so the choice shown is what the graph trains on; choosing a built-in one
 * replaces it, undoably).
 */
function datasetChoices(params: Record<string, unknown>): [string, string][] {
  const builtIn = Object.keys(DATASETS).map((d): [string, string] => [d, d]);
  // A document may hold a malformed spec (the Problems tab says so): then just the kind is named.
  const table = TableSpecSchema.safeParse(params.table).data?.file.name ?? 'table';
  const images = ImagesSpecSchema.safeParse(params.images).data?.folder.name ?? 'images';
  if (params.name === 'table') return [['table', `${table} (your table)`], ...builtIn];
  if (params.name === 'images') return [['images', `${images} (your images)`], ...builtIn];
  return builtIn;
}

export function TrainingSettings({ trainSamples }: { trainSamples: number | null }) {
  const training = useDocument((s) => s.doc.training);
  const datasetNode = useDocument((s) => datasetNodeOf(s.doc));
  const commands = useDocument((s) => s.commands);
  const stepsPerEpoch = Math.max(1, Math.ceil((trainSamples ?? 480) / (training?.batchSize ?? 32)));
  const curve = useMemo(
    () =>
      training
        ? scheduleCurve(training.schedule, training.optimizer.lr, { epochs: training.epochs, stepsPerEpoch })
        : [],
    [training, stepsPerEpoch],
  );
  const curveX = useMemo(() => curve.map((_, i) => i + 1), [curve]);
  const curveSeries = useMemo(() => [{ label: 'lr', color: '#e0871f', values: curve }], [curve]);
  if (!training) return <p className="muted">This graph has no training configuration.</p>;
  const set = (patch: Partial<TrainingConfig>, label: string) => commands.setTraining(patch, label);
  return (
    <div className="settings" data-testid="training-settings">
      {datasetNode ? (
        <ChoiceSetting
          label="dataset"
          testId="setting-dataset"
          value={String(datasetNode.params.name)}
          choices={datasetChoices(datasetNode.params)}
          onChange={(name) => commands.setParam(datasetNode.id, 'name', name)}
        />
      ) : (
        <p className="muted" data-testid="setting-dataset-missing">
          Add a Dataset node to choose what to train on.
        </p>
      )}
      <NumberSetting
        label="validation split"
        testId="setting-validation"
        value={training.validationSplit}
        min={0}
        max={0.9}
        onChange={(validationSplit) => set({ validationSplit }, 'Change validation split')}
      />
      <ChoiceSetting
        label="optimizer"
        testId="setting-optimizer"
        value={training.optimizer.kind}
        choices={OPTIMIZERS.map((o) => [o, o])}
        onChange={(kind) =>
          // Hyperparameters belong to one optimizer (Adam's betas mean nothing to SGD).
          set(
            { optimizer: { kind, lr: training.optimizer.lr, params: {} } as TrainingConfig['optimizer'] },
            'Change optimizer',
          )
        }
      />
      <NumberSetting
        label="learning rate"
        testId="setting-lr"
        value={training.optimizer.lr}
        min={1e-6}
        max={10}
        onChange={(lr) => set({ optimizer: { ...training.optimizer, lr } }, 'Change learning rate')}
      />
      <ChoiceSetting
        label="schedule"
        testId="setting-schedule"
        value={training.schedule?.kind ?? 'none'}
        choices={Object.entries(SCHEDULES)}
        onChange={(value) => {
          const kind = value as Schedule['kind'] | 'none';
          set(
            {
              schedule:
                kind === 'none' ? undefined : ({ kind, params: SCHEDULE_PARAMS[kind] ?? {} } as Schedule),
            },
            'Change schedule',
          );
        }}
      />
      <NumberSetting
        label="batch size"
        testId="setting-batch"
        value={training.batchSize}
        min={1}
        max={65536}
        step={1}
        onChange={(batchSize) => set({ batchSize }, 'Change batch size')}
      />
      <NumberSetting
        label="epochs"
        testId="setting-epochs"
        value={training.epochs}
        min={1}
        max={100000}
        step={1}
        onChange={(epochs) => set({ epochs }, 'Change epochs')}
      />
      <NumberSetting
        label="seed"
        testId="setting-seed"
        value={training.seed}
        min={0}
        max={2 ** 32 - 1}
        step={1}
        onChange={(seed) => set({ seed }, 'Change seed')}
      />
      <ChoiceSetting
        label="device"
        testId="setting-device"
        value={training.device}
        choices={[
          ['cpu', 'cpu'],
          ['webgpu', 'webgpu'],
        ]}
        onChange={(device) => set({ device: device as 'cpu' | 'webgpu' }, 'Change device')}
      />
      <div className="settings__preview">
        <LineChart
          x={curveX}
          series={curveSeries}
          xLabel="step"
          yLabel="lr"
          testId="schedule-preview"
          width={300}
          height={150}
        />
      </div>
    </div>
  );
}
