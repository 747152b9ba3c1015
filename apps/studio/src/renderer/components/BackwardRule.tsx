// A node's backward rule with this step's numbers, so a learner can check an entry by hand:
// Linear as matrices (∂L/∂x = ∂L/∂y · W), elementwise activations and losses on the first
// sample's values (the local derivative, computed here from the forward values, times the
// gradient received, next to the gradient the engine sent). Every other kind, and tensors too
// large to read, get the rule with its shapes.
import { useEffect, useState } from 'react';
import type { DebugFrame, DebugPlanStep, DebugTensor, TensorInspection } from '@hgrad/protocol';
import { engineCommands } from '../state/engine-controller.ts';
import { useDocument } from '../state/document-store.ts';
import { fmtNumber } from './TensorView.tsx';

/** At most this many values of the first sample are shown in a row. */
const ROW = 10;

function Matrix({ t, label, testId }: { t: DebugTensor; label: string; testId: string }) {
  const [rows, cols] = t.inspection.shape as [number, number];
  const v = t.inspection.values!;
  return (
    <figure className="rule__matrix">
      <table data-testid={testId}>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            <tr key={r}>
              {Array.from({ length: cols }, (_, c) => (
                <td key={c} data-value={v[r * cols + c]}>
                  {fmtNumber(v[r * cols + c]!)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption>
        {label}{' '}
        <span className="muted">
          [{rows}×{cols}]
        </span>
      </figcaption>
    </figure>
  );
}

function LinearNumbers({ frame }: { frame: DebugFrame }) {
  const gOut = frame.tensors.find((t) => t.role === 'gradOutput');
  const gIn = frame.tensors.find((t) => t.role === 'gradInput');
  const w = frame.tensors.find((t) => t.role === 'param' && t.name.endsWith('.weight'));
  const readable = [gOut, gIn, w].every((t) => t?.inspection.values && t.inspection.shape.length === 2);
  if (!readable) return <Shapes frame={frame} formula="∂L/∂x = ∂L/∂y · W" />;
  return (
    <div className="rule" data-testid="linear-rule">
      <p>
        ∂L/∂x = ∂L/∂y · W <span className="muted">(this step’s numbers)</span>
      </p>
      <div className="rule__row">
        <Matrix t={gIn!} label="∂L/∂x" testId="rule-dx" />
        <span className="rule__op">=</span>
        <Matrix t={gOut!} label="∂L/∂y" testId="rule-dy" />
        <span className="rule__op">·</span>
        <Matrix t={w!} label="W" testId="rule-w" />
      </div>
    </div>
  );
}

/** One labelled row of numbers (the first sample's first values). */
function Row({ label, values, testId }: { label: string; values: number[]; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th>{label}</th>
      {values.map((v, i) => (
        <td key={i} data-value={v}>
          {fmtNumber(v)}
        </td>
      ))}
    </tr>
  );
}

/** The first sample's values (row 0 of [N, …]), at most `n`. */
const firstSample = (t: TensorInspection, n = ROW) =>
  t.values!.slice(0, Math.min(n, t.values!.length / t.shape[0]!));

/** What an elementwise or loss rule needs from the forward pass, and computes from it. */
interface PointwiseRule {
  formula: string;
  /** The forward tensors it reads: role and port name. */
  reads: { role: 'input' | 'output'; name: string }[];
  /** The local factor's label, and its values for the first sample's entries (forward values in). */
  local: string;
  compute(forward: TensorInspection[], params: Record<string, unknown>): number[];
  /** Multiplied by the gradient received (activations), or the gradient itself (losses). */
  times: 'gradOutput' | 'none';
}

const unary = (formula: string, read: 'input' | 'output', local: string, f: (v: number) => number) =>
  ({
    formula,
    reads: [{ role: read, name: read }],
    local,
    compute: ([t]) => firstSample(t!).map(f),
    times: 'gradOutput',
  }) satisfies PointwiseRule;

/** Cross-entropy's gradient for the first position: (softmax(z) − q) / N, q the smoothed one-hot. */
function crossEntropyLocal([z, target]: TensorInspection[], params: Record<string, unknown>): number[] {
  const classes = z!.shape.at(-1)!;
  const positions = z!.values!.length / classes;
  const row = z!.values!.slice(0, classes);
  const max = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const eps = Number(params.labelSmoothing ?? 0);
  const label = target!.values![0]!;
  const scale = params.reduction === 'sum' ? 1 : 1 / positions;
  return exps
    .map((e, c) => (e / sum - ((1 - eps) * (c === label ? 1 : 0) + eps / classes)) * scale)
    .slice(0, ROW);
}

function mseLocal([y, target]: TensorInspection[], params: Record<string, unknown>): number[] {
  const scale = params.reduction === 'sum' ? 2 : 2 / y!.values!.length;
  return firstSample(y!).map((v, i) => scale * (v - target!.values![i]!));
}

const POINTWISE = {
  ReLU: unary('∂L/∂x = ∂L/∂y ⊙ [x > 0]', 'input', '[x > 0]', (x) => (x > 0 ? 1 : 0)),
  Sigmoid: unary('∂L/∂x = ∂L/∂y ⊙ y(1 − y)', 'output', 'y(1 − y)', (y) => y * (1 - y)),
  Tanh: unary('∂L/∂x = ∂L/∂y ⊙ (1 − y²)', 'output', '1 − y²', (y) => 1 - y * y),
  CrossEntropyLoss: {
    formula: '∂L/∂z = (softmax(z) − onehot(target)) / N (with label smoothing, the one-hot is smoothed)',
    reads: [
      { role: 'input', name: 'input' },
      { role: 'input', name: 'target' },
    ],
    local: '(softmax − onehot)/N',
    compute: crossEntropyLocal,
    times: 'none',
  },
  MSELoss: {
    formula: '∂L/∂ŷ = 2(ŷ − y) / n (n: every entry; 2(ŷ − y) with reduction sum)',
    reads: [
      { role: 'input', name: 'input' },
      { role: 'input', name: 'target' },
    ],
    local: '2(ŷ − y)/n',
    compute: mseLocal,
    times: 'none',
  },
} satisfies Record<string, PointwiseRule>;

function PointwiseNumbers({
  frame,
  plan,
  rule,
}: {
  frame: DebugFrame;
  plan: DebugPlanStep[];
  rule: PointwiseRule;
}) {
  const params = useDocument((s) => s.doc.nodes.find((n) => n.id === frame.nodeId)?.params ?? {});
  const [forward, setForward] = useState<TensorInspection[] | null>(null);
  const step = plan.findIndex((s) => s.phase === 'forward' && s.nodeId === frame.nodeId);
  useEffect(() => {
    let live = true;
    setForward(null);
    void Promise.all(
      rule.reads.map((r) =>
        engineCommands.inspect({ kind: 'debug', step, role: r.role, name: r.name }, true),
      ),
    ).then((rs) => {
      const got = rs.flatMap((r) => (r?.type === 'inspection' ? [r.inspection] : []));
      if (live && got.length === rule.reads.length) setForward(got);
    });
    return () => {
      live = false;
    };
  }, [frame.index, step, rule]);
  const gOut = frame.tensors.find((t) => t.role === 'gradOutput');
  const gIn = frame.tensors.find((t) => t.role === 'gradInput');
  if (!gIn?.inspection.values || (rule.times === 'gradOutput' && !gOut?.inspection.values))
    return <Shapes frame={frame} formula={rule.formula} />;
  const local = forward ? rule.compute(forward, params) : null;
  const dx = firstSample(gIn.inspection);
  return (
    <div className="rule" data-testid="pointwise-rule">
      <p>
        {rule.formula} <span className="muted">(first sample, this step’s numbers)</span>
      </p>
      <table className="rule__rows">
        <tbody>
          {rule.times === 'gradOutput' && gOut?.inspection.values && (
            <Row label="∂L/∂y" values={firstSample(gOut.inspection)} testId="rule-dy" />
          )}
          {local && <Row label={rule.local} values={local} testId="rule-local" />}
          <Row label="∂L/∂x (engine)" values={dx} testId="rule-dx" />
        </tbody>
      </table>
    </div>
  );
}

const dims = (t: DebugTensor) => `[${t.inspection.shape.join('×')}]`;

/** The rule in words with the shapes of this step's gradients (any kind, any size). */
function Shapes({ frame, formula }: { frame: DebugFrame; formula?: string }) {
  const received = frame.tensors.filter((t) => t.role === 'gradOutput');
  const sent = frame.tensors.filter((t) => t.role === 'gradInput' || t.role === 'gradParam');
  if (!received.length && !sent.length) return null;
  return (
    <div className="rule" data-testid="rule-shapes">
      {formula && <p>{formula}</p>}
      <p className="muted">
        receives {received.map((t) => `∂L/∂${t.name} ${dims(t)}`).join(', ') || 'the start of backward'};
        sends{' '}
        {sent.map((t) => `∂L/∂${t.name} ${dims(t)}`).join(', ') || 'nothing (no input needs a gradient)'}
      </p>
    </div>
  );
}

export function BackwardRule({ frame, plan }: { frame: DebugFrame; plan: DebugPlanStep[] }) {
  if (frame.phase !== 'backward') return null;
  if (frame.kind === 'Linear') return <LinearNumbers frame={frame} />;
  const rule = (POINTWISE as Record<string, PointwiseRule>)[frame.kind];
  if (rule) return <PointwiseNumbers frame={frame} plan={plan} rule={rule} />;
  return <Shapes frame={frame} />;
}
