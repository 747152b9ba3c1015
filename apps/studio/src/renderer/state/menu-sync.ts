// Keeps the desktop app's native menu in step with what can run: each command that cannot run
// now is sent to main with the reason (main greys it out), whenever the document or the run
// changes. In a browser the menu bar reads blockedReason itself and this does nothing.
import type { StudioApi } from '../../shared/ipc.ts';
import { blockedReason, COMMANDS } from './commands.ts';
import { useDocument } from './document-store.ts';
import { useRun } from './run-store.ts';

/** Every command that cannot run now, with the reason. */
export function blockedCommands(): Record<string, string> {
  const blocked: Record<string, string> = {};
  for (const c of COMMANDS) {
    const reason = blockedReason(c.id);
    if (reason) blocked[c.id] = reason.message;
  }
  return blocked;
}

export function startMenuSync(): () => void {
  const api = (globalThis as { hgrad?: StudioApi }).hgrad;
  if (!api) return () => undefined;
  let sent = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    const blocked = blockedCommands();
    const text = JSON.stringify(blocked);
    if (text === sent) return;
    sent = text;
    api.setBlocked(blocked).catch(() => undefined);
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(send, 100);
  };
  send();
  const offDocument = useDocument.subscribe(soon);
  const offRun = useRun.subscribe(soon);
  return () => {
    clearTimeout(timer);
    offDocument();
    offRun();
  };
}
