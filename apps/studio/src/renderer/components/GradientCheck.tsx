// "Check gradient": a learner's proof that backprop is right for this node — autograd's gradient
// beside central finite differences (float64) on a few entries of each parameter and input, with
// the relative error. Entries at a kink (a ReLU at 0, tied maxima) have no derivative to compare.
import { useEffect, useState } from 'react';
import type { RuntimeResult } from '@hgrad/protocol';
import { engineCommands } from '../state/engine-controller.ts';
import { useRun } from '../state/run-store.ts';
import { formatNumber } from '../format.ts';

type Report = Extract<RuntimeResult, { type: 'gradcheck' }>['report'];

const sci = (v: number) => (v === 0 ? '0' : v.toExponential(1));

export function GradientCheck({ nodeId }: { nodeId: string }) {
  const step = useRun((s) => s.step);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setReport(null), [nodeId, step]);
  if (step === 0) return null;
  const check = async () => {
    setBusy(true);
    setReport(await engineCommands.gradcheck(nodeId));
    setBusy(false);
  };
  return (
    <section className="gradcheck" data-testid="gradcheck">
      <button onClick={() => void check()} disabled={busy} data-testid="gradcheck-run">
        {busy ? 'Checking…' : 'Check gradient'}
      </button>
      {report && (
        <>
          <p data-testid="gradcheck-summary" data-error={report.maxRelError}>
            autograd vs finite differences on {report.samples} sample{report.samples === 1 ? '' : 's'}:
            largest relative error{' '}
            <b className={report.maxRelError < 1e-4 ? 'gradcheck__ok' : 'danger'}>
              {sci(report.maxRelError)}
            </b>
          </p>
          <table className="gradcheck__table">
            <thead>
              <tr>
                <th>tensor</th>
                <th>index</th>
                <th>autograd</th>
                <th>numeric</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.flatMap((c) =>
                c.entries.map((e, i) => (
                  <tr
                    key={`${c.name}-${i}`}
                    title={
                      e.kink ? 'a kink: the slopes on either side differ, so there is no derivative here' : ''
                    }
                  >
                    <td>{i === 0 ? `${c.name} [${c.shape.join(', ')}]` : ''}</td>
                    <td>[{e.index.join(', ')}]</td>
                    <td>{formatNumber(e.autograd)}</td>
                    <td>
                      {formatNumber(e.numeric)}
                      {e.kink ? ' (kink)' : ''}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
