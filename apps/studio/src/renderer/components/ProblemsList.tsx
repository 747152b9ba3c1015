// Every problem the analysis found; clicking one selects its node, and a problem with a known
// fix offers it as a button (one undoable edit).
import { useDocument } from '../state/document-store.ts';

export function ProblemsList() {
  const problems = useDocument((s) => s.analysis.problems);
  const select = useDocument((s) => s.commands.select);
  const setParam = useDocument((s) => s.commands.setParam);
  if (!problems.length)
    return (
      <p className="muted" data-testid="problems-empty">
        No problems: the graph is ready to train.
      </p>
    );
  return (
    <ul className="problems" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i}>
          <button onClick={() => p.nodeId && select({ nodes: [p.nodeId], edges: [] })} disabled={!p.nodeId}>
            {p.nodeId && <strong>{p.nodeId}</strong>} {p.message}
          </button>
          {p.fix && (
            <button
              className="problems__fix"
              data-testid={`fix-${p.fix.nodeId}`}
              onClick={() => setParam(p.fix!.nodeId, p.fix!.param, p.fix!.value)}
            >
              {p.fix.label}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
