// The inspector: the selected node's params as typed controls with the catalog's docs, its
// problems, shapes, parameter count and FLOPs, and (after training steps) its activation,
// weights and gradients. With nothing selected: the document and the model summary.
import { useCallback, useEffect, useRef, useState } from 'react';
import { CATALOG, describeParams, fmt } from '@hgrad/ir';
import type { TensorInspection } from '@hgrad/protocol';
import { useDocument } from '../state/document-store.ts';
import { useRun } from '../state/run-store.ts';
import { engineCommands } from '../state/engine-controller.ts';
import { ModelSummary } from './ModelSummary.tsx';
import { ParamField } from './ParamField.tsx';
import { TensorView } from './TensorView.tsx';
import { GradientCheck } from './GradientCheck.tsx';

function NodeTensors({ nodeId }: { nodeId: string }) {
  const step = useRun((s) => s.step);
  // Time travel: the snapshot looked at changes every tensor shown.
  const viewing = useRun((s) => s.history.viewing);
  const loaded = useRun((s) => s.loadedKey !== null);
  const inspect = engineCommands.inspect;
  const info = useDocument((s) => s.analysis.nodes.get(nodeId));
  const [views, setViews] = useState<{ title: string; inspection: TensorInspection; testId?: string }[]>([]);
  // While training, steps arrive faster than tensors can be read: the views refresh at most every
  // 250 ms and always after the last step (a throttle, not a debounce, which a fast run would
  // postpone forever), and never while the previous reading is still answered (the requests
  // would queue up ahead of the user's Pause).
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reading = useRef(false);
  const missed = useRef(false);
  const schedule = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      if (reading.current) missed.current = true;
      else setTick((t) => t + 1);
    }, 250);
  }, []);
  useEffect(schedule, [step, schedule]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useEffect(() => {
    if (!loaded || useRun.getState().step === 0 || !info) return setViews([]);
    let cancelled = false;
    reading.current = true;
    void (async () => {
      const out: { title: string; inspection: TensorInspection; testId?: string }[] = [];
      for (const port of Object.keys(info.outputs)) {
        const r = await inspect({ kind: 'output', nodeId, port });
        if (r?.type === 'inspection')
          out.push({
            title: `Activation (${port})`,
            inspection: r.inspection,
            testId: `activation-${nodeId}-${port}`,
          });
      }
      const stats = useRun.getState().stats;
      for (const p of stats?.params.filter((q) => q.name.startsWith(`${nodeId}.`)) ?? []) {
        const w = await inspect({ kind: 'parameter', name: p.name });
        if (w?.type === 'inspection')
          out.push({ title: p.name, inspection: w.inspection, testId: `param-${p.name}` });
        const g = await inspect({ kind: 'gradient', name: p.name });
        if (g?.type === 'inspection')
          out.push({ title: `∇ ${p.name}`, inspection: g.inspection, testId: `grad-${p.name}` });
      }
      if (!cancelled) setViews(out);
    })().finally(() => {
      reading.current = false;
      if (missed.current) {
        missed.current = false;
        schedule();
      }
    });
    return () => {
      cancelled = true;
    };
  }, [nodeId, tick, viewing, loaded, info, inspect, schedule]);
  if (!views.length)
    return <p className="muted">Train a step to see this node's activation, weights and gradients.</p>;
  return (
    <>
      {views.map((v) => (
        <TensorView
          key={v.title}
          title={v.title}
          inspection={v.inspection}
          {...(v.testId ? { testId: v.testId } : {})}
        />
      ))}
    </>
  );
}

/** What a Group runs: its subgraph's nodes with their shapes for this instance, and Ungroup. */
function GroupContents({ nodeId, subgraphId }: { nodeId: string; subgraphId: string }) {
  const sub = useDocument((s) => s.doc.subgraphs?.find((g) => g.id === subgraphId));
  const inner = useDocument((s) => s.analysis.nodes.get(nodeId)?.inner);
  const ungroup = useDocument((s) => s.commands.ungroupSelection);
  if (!sub) return null;
  return (
    <section className="inspector__group" data-testid="group-contents">
      <h3>Inside {sub.name || sub.id}</h3>
      <ol>
        {(inner?.order ?? sub.nodes.map((n) => n.id)).map((id) => {
          const n = sub.nodes.find((m) => m.id === id)!;
          const info = inner?.nodes.get(id);
          return (
            <li key={id}>
              <strong>{n.kind}</strong> {id}{' '}
              <span className="muted">{info ? Object.values(info.outputs).map(fmt).join(' ') : ''}</span>
            </li>
          );
        })}
      </ol>
      <button onClick={ungroup} data-testid="ungroup">
        Ungroup
      </button>
    </section>
  );
}

export function Inspector() {
  const selection = useDocument((s) => s.selection);
  const doc = useDocument((s) => s.doc);
  const analysis = useDocument((s) => s.analysis);
  const commands = useDocument((s) => s.commands);
  const nodeId = selection.nodes.length === 1 ? selection.nodes[0]! : null;
  const node = nodeId ? doc.nodes.find((n) => n.id === nodeId) : undefined;
  const kind = node ? CATALOG.get(node.kind) : undefined;

  if (!node || !kind)
    return (
      <aside className="inspector" data-testid="inspector">
        <h2>Graph</h2>
        <label className="param-field">
          name
          <input
            key={doc.metadata.name}
            defaultValue={doc.metadata.name}
            onBlur={(e) => e.target.value !== doc.metadata.name && commands.rename(e.target.value)}
          />
        </label>
        <ModelSummary compact />
        <p className="muted">
          Select a node to edit its parameters. Drag kinds from the palette; double-click the canvas to add
          one by name.
        </p>
      </aside>
    );
  const info = analysis.nodes.get(node.id);
  const problems = analysis.problems.filter((p) => p.nodeId === node.id);
  return (
    <aside className="inspector" data-testid="inspector">
      <h2>
        {kind.kind} <span className="muted">{node.id}</span>
      </h2>
      <p className="inspector__doc">{kind.doc}</p>
      {problems.length > 0 && (
        <ul className="inspector__problems" role="alert">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {describeParams(kind, node.params).map((spec) => (
        <ParamField
          key={spec.name}
          nodeId={node.id}
          kind={kind}
          spec={spec}
          value={node.params[spec.name]}
          params={node.params}
          onCommit={(v) => commands.setParam(node.id, spec.name, v)}
        />
      ))}
      {info && (
        <dl className="inspector__facts">
          {Object.entries(info.outputs).map(([port, shape]) => (
            <div key={port}>
              <dt>{port}</dt>
              <dd data-testid={`shape-${node.id}-${port}`}>{fmt(shape)}</dd>
            </div>
          ))}
          <div>
            <dt>parameters</dt>
            <dd>{info.paramCount.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>FLOPs / sample</dt>
            <dd>{info.flops.toLocaleString('en')}</dd>
          </div>
        </dl>
      )}
      {node.kind === 'Group' && <GroupContents nodeId={node.id} subgraphId={String(node.params.subgraph)} />}
      <h3>Tensors</h3>
      <NodeTensors nodeId={node.id} />
      {kind.category !== 'data' && node.kind !== 'Group' && <GradientCheck nodeId={node.id} />}
    </aside>
  );
}
