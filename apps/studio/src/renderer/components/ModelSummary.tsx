// The model summary: every node with its output shapes, parameters and FLOPs, and the totals.
import { fmt } from '@hgrad/ir';
import { useDocument } from '../state/document-store.ts';

export function ModelSummary({ compact = false }: { compact?: boolean }) {
  const analysis = useDocument((s) => s.analysis);
  const select = useDocument((s) => s.commands.select);
  return (
    <div className="summary" data-testid="model-summary">
      <p>
        <strong data-testid="total-params">{analysis.totalParams.toLocaleString('en')}</strong> parameters ·{' '}
        <strong>{analysis.totalFlops.toLocaleString('en')}</strong> FLOPs per sample
      </p>
      {!compact && (
        <table>
          <thead>
            <tr>
              <th>node</th>
              <th>kind</th>
              <th>output</th>
              <th>params</th>
              <th>FLOPs</th>
            </tr>
          </thead>
          <tbody>
            {analysis.order.map((id) => {
              const n = analysis.nodes.get(id);
              return (
                <tr key={id} onClick={() => select({ nodes: [id], edges: [] })}>
                  <td>{id}</td>
                  <td>{n?.kind.kind ?? '?'}</td>
                  <td>{n ? Object.values(n.outputs).map(fmt).join(' ') : '—'}</td>
                  <td>{n?.paramCount.toLocaleString('en') ?? '—'}</td>
                  <td>{n?.flops.toLocaleString('en') ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
