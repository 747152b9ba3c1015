// The session's side of the step-through debugger: opens one on a fixed batch (the first
// samples of the training split, so every run of the debugger sees the same values), moves
// it, and turns its steps into protocol frames with inspections of every tensor.
import * as hg from '@hgrad/engine';
import { CATALOG } from '@hgrad/ir';
import type { GraphModel } from '@hgrad/train';
import type { DebugFrame, RuntimeRequest, RuntimeResult, TensorInspection } from '@hgrad/protocol';

import { StepDebugger } from './debugger.ts';
import { inspectTensor } from './inspect.ts';

/** Tensors this small travel with every value; larger ones as summaries and heatmaps. */
const FULL_VALUES = 256;

type DebugRequest = Extract<RuntimeRequest, { type: 'debug' }>;
type InspectDebug = { step: number; role: string; name: string };

export class DebugSessions {
  current: StepDebugger | null = null;

  close(): void {
    this.current?.close();
    this.current = null;
  }

  answer(r: DebugRequest, model: GraphModel, train: hg.data.Subset<hg.Tensor[]>): RuntimeResult {
    if (r.action === 'stop') {
      this.close();
      return { type: 'debug', plan: [], cursor: -1, frame: null };
    }
    if (r.action === 'start') {
      this.close();
      const samples = Math.min(r.samples ?? 32, train.length);
      if (samples === 0) throw new Error('debug: the training split is empty');
      const rows = hg.tensor(train.indices.slice(0, samples), { dtype: 'int32' });
      const [x, y] = (train.dataset as hg.data.TensorDataset).tensors;
      model.train();
      this.current = new StepDebugger(model, { x: x!.indexSelect(0, rows), y: y!.indexSelect(0, rows) });
    }
    const debug = this.current;
    if (!debug)
      throw new Error("debug: no step-through is open: send {type: 'debug', action: 'start'} first");
    if (r.action === 'forward') debug.moveTo(Math.min(debug.cursor + 1, debug.plan.length - 1));
    if (r.action === 'back') debug.moveTo(Math.max(debug.cursor - 1, -1));
    if (r.action === 'jump') debug.moveTo(r.index!);
    if (r.action === 'end') debug.moveTo(debug.plan.length - 1);
    return { type: 'debug', plan: debug.plan, cursor: debug.cursor, frame: this.frame(debug.cursor) };
  }

  private frame(index: number): DebugFrame | null {
    const debug = this.current!;
    if (index < 0) return null;
    const step = debug.plan[index]!;
    return {
      index,
      ...step,
      rule: CATALOG.get(step.kind)?.backwardRule ?? `${step.kind}: the engine's recorded backward of each op`,
      tensors: debug.state(index).map(({ role, name, tensor }) => ({
        role,
        name,
        inspection: inspectTensor(tensor.detach(), tensor.numel() <= FULL_VALUES),
      })),
    };
  }

  inspect(target: InspectDebug, full: boolean): TensorInspection {
    const debug = this.current;
    if (!debug) throw new Error('inspect: no step-through is open');
    if (target.step < 0 || target.step >= debug.computedSteps)
      throw new Error(
        `inspect: step ${target.step} has not been reached (the debugger is at ${debug.cursor})`,
      );
    const found = debug.state(target.step).find((t) => t.role === target.role && t.name === target.name);
    if (!found) throw new Error(`inspect: step ${target.step} has no ${target.role} '${target.name}'`);
    return inspectTensor(found.tensor.detach(), full);
  }
}
