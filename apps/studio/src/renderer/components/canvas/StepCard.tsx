// The step-through on the canvas: under the node being stepped, a card with what it received and
// what it sends — values forward, gradients backward — so a learner follows backprop on the graph
// itself. Numbers are those of the Step-through panel (the same frame); small tensors show their
// values, larger ones their shape and summary.
import type { DebugRole, DebugTensor } from '@hgrad/protocol';
import { useRun } from '../../state/run-store.ts';
import { fmtNumber } from '../TensorView.tsx';

const ROLE: Record<DebugRole, string> = {
  input: 'in',
  output: 'out',
  gradOutput: '∂L/∂out',
  gradInput: '∂L/∂in',
  gradParam: '∂L/∂',
  hidden: 'h',
  gradHidden: '∂L/∂h',
  param: 'value of',
};

function Row({ t }: { t: DebugTensor }) {
  const { shape, summary, values } = t.inspection;
  const shown =
    values && values.length <= 8
      ? `[${values.map(fmtNumber).join(', ')}]`
      : `mean ${fmtNumber(summary.mean)} · |max| ${fmtNumber(Math.max(Math.abs(summary.min), Math.abs(summary.max)))}`;
  return (
    <li data-role={t.role}>
      <b>
        {ROLE[t.role]}
        {t.role === 'gradParam'
          ? t.name.split('.').at(-1)
          : t.role === 'input' || t.role === 'output'
            ? ` ${t.name}`
            : ''}
      </b>{' '}
      <span className="muted">[{shape.join(',')}]</span> {shown}
    </li>
  );
}

export function StepCard({ nodeId }: { nodeId: string }) {
  const frame = useRun((s) => s.debug?.frame);
  if (!frame || frame.nodeId !== nodeId) return null;
  // Forward: what came in and what goes out; backward: the gradient arriving and those it sends.
  const order: DebugRole[] =
    frame.phase === 'forward'
      ? ['input', 'output', 'hidden']
      : ['gradOutput', 'gradInput', 'gradParam', 'gradHidden'];
  const tensors = order.flatMap((role) => frame.tensors.filter((t) => t.role === role)).slice(0, 6);
  return (
    <div className={`step-card step-card--${frame.phase}`} data-testid="step-card">
      <div className="step-card__title">
        {frame.phase === 'forward' ? 'forward' : 'backward'} · step {frame.index + 1}
      </div>
      <ul>
        {tensors.map((t) => (
          <Row key={`${t.role}-${t.name}`} t={t} />
        ))}
      </ul>
      {tensors.length === 0 && <p className="muted">no gradient reaches this node</p>}
    </div>
  );
}
