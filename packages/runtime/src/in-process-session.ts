// A RuntimeSession driven in this thread, for tests: `ask` sends a request and returns its
// result (or throws the session's error message); `out` holds everything the session emitted.
import { RUNTIME_PROTOCOL_VERSION, type RuntimeOutgoing } from '@hgrad/protocol';
import { RuntimeSession } from './session.ts';

export function inProcessSession(): { out: RuntimeOutgoing[]; ask(body: object): Promise<unknown> } {
  const out: RuntimeOutgoing[] = [];
  const session = new RuntimeSession((m) => out.push(m));
  let id = 0;
  return {
    out,
    async ask(body) {
      const request = { v: RUNTIME_PROTOCOL_VERSION, id: ++id, ...body };
      await session.handle(request);
      const reply = out.find((m) => 'id' in m && m.id === request.id);
      if (!reply || !('ok' in reply)) throw new Error(`no reply to ${JSON.stringify(body).slice(0, 80)}`);
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.result;
    },
  };
}
