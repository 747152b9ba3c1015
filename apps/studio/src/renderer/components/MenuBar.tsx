// The menu bar (web build; Electron shows the same commands in native menus): each menu lists
// the commands of its group with their shortcuts.
import { useEffect, useState } from 'react';
import { blockedReason, COMMANDS, formatShortcut, runCommand, type MenuGroup } from '../state/commands.ts';

const MENUS: MenuGroup[] = ['File', 'Edit', 'View', 'Train', 'Debug'];

export function MenuBar() {
  const [open, setOpen] = useState<MenuGroup | null>(null);
  useEffect(() => {
    if (!open) return;
    const close = () => setOpen(null);
    const t = setTimeout(() => addEventListener('click', close, { once: true }));
    return () => {
      clearTimeout(t);
      removeEventListener('click', close);
    };
  }, [open]);
  return (
    <nav className="menubar" aria-label="Menu">
      {MENUS.map((group) => (
        <div key={group} className="menubar__menu">
          <button
            aria-haspopup="menu"
            aria-expanded={open === group}
            onClick={() => setOpen(open === group ? null : group)}
            onMouseEnter={() => open && setOpen(group)}
          >
            {group}
          </button>
          {open === group && (
            <ul role="menu">
              {COMMANDS.filter((c) => c.group === group).map((c) => {
                // A command that cannot run now is greyed out and says why.
                const blocked = blockedReason(c.id);
                return (
                  <li key={c.id} role="none">
                    <button
                      role="menuitem"
                      aria-disabled={blocked !== null}
                      className={blocked ? 'menuitem--blocked' : undefined}
                      title={blocked?.message}
                      onClick={() => (setOpen(null), runCommand(c.id))}
                    >
                      <span>{c.title}</span>
                      {c.shortcut && <kbd>{formatShortcut(c.shortcut)}</kbd>}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ))}
    </nav>
  );
}
