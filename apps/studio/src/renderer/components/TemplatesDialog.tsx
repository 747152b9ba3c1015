// The templates gallery: the example graphs, each a starting point.
import { runCommand } from '../state/commands.ts';
import { TEMPLATES } from '../state/templates.ts';
import { useUi } from '../state/ui-store.ts';

export function TemplatesDialog() {
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.commands.open);
  if (dialog !== 'templates') return null;
  return (
    <div className="overlay" onClick={() => close(null)}>
      <div className="templates" role="dialog" aria-label="Templates" onClick={(e) => e.stopPropagation()}>
        <h2>Templates</h2>
        <div className="templates__grid">
          {TEMPLATES.map((t) => (
            <button
              key={t.id}
              className="templates__card"
              data-testid={`template-${t.id}`}
              onClick={() => (close(null), runCommand(`template.${t.id}`))}
            >
              <strong>{t.title}</strong>
              <span>{t.description}</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
