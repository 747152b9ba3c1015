// Two searchable pickers in one: the command palette (every command, with its shortcut) and
// quick-add (every node kind, added where the canvas was double-clicked).
import { useMemo, useState } from 'react';
import { COMMANDS, formatShortcut, runCommand } from '../state/commands.ts';
import { useDocument } from '../state/document-store.ts';
import { useUi } from '../state/ui-store.ts';
import { matchKinds } from './Palette.tsx';

interface Item {
  id: string;
  title: string;
  hint?: string;
  run(): void;
}

export function CommandPalette() {
  const dialog = useUi((s) => s.dialog);
  const at = useUi((s) => s.quickAddAt);
  const close = useUi((s) => s.commands.open);
  const addNode = useDocument((s) => s.commands.addNode);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const items = useMemo<Item[]>(() => {
    if (dialog === 'quickAdd')
      return matchKinds(query).map((k) => ({
        id: k.kind,
        title: k.kind,
        hint: k.doc,
        run: () => addNode(k.kind, at ?? { x: 200, y: 200 }),
      }));
    const q = query.toLowerCase();
    return COMMANDS.filter((c) => c.title.toLowerCase().includes(q) || c.group.toLowerCase().includes(q)).map(
      (c) => ({
        id: c.id,
        title: `${c.group}: ${c.title}`,
        ...(c.shortcut ? { hint: formatShortcut(c.shortcut) } : {}),
        run: () => runCommand(c.id),
      }),
    );
  }, [dialog, query, at, addNode]);
  if (dialog !== 'palette' && dialog !== 'quickAdd') return null;
  const choose = (item: Item | undefined) => {
    close(null);
    setQuery('');
    setActive(0);
    item?.run();
  };
  return (
    <div className="overlay" onClick={() => close(null)}>
      <div
        className="command-palette"
        role="dialog"
        aria-label={dialog === 'quickAdd' ? 'Add a node' : 'Command palette'}
        onClick={(e) => e.stopPropagation()}
      >
        <input
          autoFocus
          data-testid="command-palette-input"
          placeholder={dialog === 'quickAdd' ? 'Node kind, e.g. Linear' : 'Type a command'}
          value={query}
          onChange={(e) => (setQuery(e.target.value), setActive(0))}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close(null);
            if (e.key === 'ArrowDown') setActive(Math.min(items.length - 1, active + 1));
            if (e.key === 'ArrowUp') setActive(Math.max(0, active - 1));
            if (e.key === 'Enter') choose(items[active]);
          }}
        />
        <ul>
          {items.slice(0, 12).map((item, i) => (
            <li key={item.id} className={i === active ? 'active' : ''}>
              <button onClick={() => choose(item)}>
                <span>{item.title}</span>
                {item.hint && <small>{item.hint}</small>}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
