// Errors and notices appear in place: a toast that can select the node at fault.
import { useDocument } from '../state/document-store.ts';
import { useUi } from '../state/ui-store.ts';

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.commands.dismiss);
  const select = useDocument((s) => s.commands.select);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast--${t.kind}`}
          role={t.kind === 'error' ? 'alert' : 'status'}
          data-testid={`toast-${t.kind}`}
        >
          <span>{t.message}</span>
          {t.nodeId && (
            <button onClick={() => select({ nodes: [t.nodeId!], edges: [] })}>Show {t.nodeId}</button>
          )}
          <button aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
