// A Linear node's backward rule with its actual numbers: ∂L/∂x = ∂L/∂y · W, the three matrices of
// this step side by side (when they are small enough to read), so a learner can check one entry.
import type { DebugFrame, DebugTensor } from '@hgrad/protocol';
import { fmtNumber } from './TensorView.tsx';

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

export function LinearRule({ frame }: { frame: DebugFrame }) {
  if (frame.kind !== 'Linear' || frame.phase !== 'backward') return null;
  const gOut = frame.tensors.find((t) => t.role === 'gradOutput');
  const gIn = frame.tensors.find((t) => t.role === 'gradInput');
  const w = frame.tensors.find((t) => t.role === 'param' && t.name.endsWith('.weight'));
  const readable = [gOut, gIn, w].every((t) => t?.inspection.values && t.inspection.shape.length === 2);
  if (!readable) return null;
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
