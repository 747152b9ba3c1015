// Step-through backprop: a debugger bar (start, step forward, step back, run to end, stop), the
// plan of steps (click one to jump), and the current step's tensors: the node's inputs and
// output going forward; the gradient it receives and the gradients it sends to its inputs and
// parameters going backward, with the local rule in words.
import type { DebugTensor } from '@hgrad/protocol';
import { useRun } from '../state/run-store.ts';
import { engineCommands } from '../state/engine-controller.ts';
import { TensorView } from './TensorView.tsx';
import { useDocument } from '../state/document-store.ts';
import { BackwardRule } from './BackwardRule.tsx';

/**
 * Why no gradient reaches a node in the backward pass. As in PyTorch, a tensor computed only
 * from the data (nothing trainable upstream) does not require grad, so backward stops before it.
 */
function noGradientReason(nodeId: string): string {
  const { doc, analysis } = useDocument.getState();
  const upstream = new Set<string>();
  const visit = (id: string) => {
    for (const e of doc.edges)
      if (e.target.node === id && !upstream.has(e.source.node)) {
        upstream.add(e.source.node);
        visit(e.source.node);
      }
  };
  visit(nodeId);
  const own = analysis.nodes.get(nodeId)?.paramCount ?? 0;
  const trainable = [...upstream].some((id) => (analysis.nodes.get(id)?.paramCount ?? 0) > 0);
  if (!own && !trainable)
    return 'No gradient reaches this node: nothing before it has parameters, so its input comes straight from the data and does not require a gradient (requires_grad is False, as in PyTorch); backward stops at the first layer with weights.';
  return 'No gradient reaches this node: the loss does not depend on its output.';
}

const ROLE_TITLES: Record<DebugTensor['role'], string> = {
  input: 'input',
  output: 'output',
  gradOutput: 'gradient received',
  gradInput: 'gradient sent to input',
  gradParam: 'gradient of parameter',
  hidden: 'hidden state',
  gradHidden: 'gradient of hidden state',
  param: 'parameter',
};

export function DebuggerBar() {
  const debug = useRun((s) => s.debug);
  const commands = engineCommands;
  const step = debug && debug.cursor >= 0 ? debug.plan[debug.cursor] : null;
  return (
    <div className="debugger-bar" role="toolbar" aria-label="Step-through">
      {!debug ? (
        <button onClick={() => void commands.debug('start')}>Step through</button>
      ) : (
        <>
          <button
            onClick={() => void commands.debug('back')}
            disabled={debug.cursor < 0}
            title="Step back (Shift+F10)"
          >
            ◀ Back
          </button>
          <button
            onClick={() => void commands.debug('forward')}
            disabled={debug.cursor >= debug.plan.length - 1}
            title="Step (F10)"
          >
            Step ▶
          </button>
          <button
            onClick={() => void commands.debug('end')}
            disabled={debug.cursor >= debug.plan.length - 1}
            title="Run to end (F8)"
          >
            Run to end ⇥
          </button>
          <button onClick={() => void commands.debug('start')} title="Restart from the first node">
            Reset
          </button>
          <button onClick={() => void commands.debug('stop')} title="Stop stepping (Shift+F5)">
            ✕
          </button>
          <span className="debugger-bar__where" data-testid="debug-position">
            {step
              ? `${debug.cursor + 1}/${debug.plan.length} · ${step.phase} · ${step.nodeId}`
              : `0/${debug.plan.length} · ready`}
          </span>
        </>
      )}
    </div>
  );
}

export function DebuggerPanel() {
  const debug = useRun((s) => s.debug);
  const jump = engineCommands.debug;
  if (!debug)
    return (
      <div className="debugger" data-testid="debugger">
        <DebuggerBar />
        <p className="muted">
          Runs the graph on a batch of 8 training samples one node at a time: forward through every node, then
          backward in reverse order, showing each gradient as it flows. The gradients equal those of a plain
          backward pass.
        </p>
      </div>
    );
  const frame = debug.frame;
  return (
    <div className="debugger" data-testid="debugger">
      <DebuggerBar />
      <div className="debugger__body">
        <ol className="debugger__plan">
          {debug.plan.map((s, i) => (
            <li key={i} className={`${i === debug.cursor ? 'current' : ''} ${s.phase}`}>
              <button onClick={() => void jump('jump', i)} data-testid={`debug-step-${i}`}>
                {s.phase === 'forward' ? '→' : '←'} {s.nodeId} <span className="muted">{s.kind}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="debugger__frame" data-testid="debug-frame">
          {frame ? (
            <>
              <h3>
                {frame.phase === 'forward' ? 'Forward' : 'Backward'} · {frame.nodeId}{' '}
                <span className="muted">({frame.kind})</span>
              </h3>
              {frame.phase === 'backward' && <p className="debugger__rule">{frame.rule}</p>}
              <BackwardRule frame={frame} plan={debug.plan} />
              {frame.tensors.length === 0 && (
                <p className="muted" data-testid="debug-no-gradient">
                  {noGradientReason(frame.nodeId)}
                </p>
              )}
              <div className="debugger__tensors">
                {frame.tensors.map((t) => (
                  <TensorView
                    key={`${t.role}:${t.name}`}
                    title={`${ROLE_TITLES[t.role]} ${t.name}`}
                    inspection={t.inspection}
                    testId={`debug-${t.role}-${t.name}`}
                  />
                ))}
              </div>
            </>
          ) : (
            <p className="muted">Press Step to run the first node.</p>
          )}
        </div>
      </div>
    </div>
  );
}
