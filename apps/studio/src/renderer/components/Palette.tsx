// The node palette, read from the IR catalog: grouped by category, searchable; drag a kind onto
// the canvas, or click it to add it at the centre of the view.
import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { CATALOG, type Category, type NodeKind } from '@hgrad/ir';
import { useDocument } from '../state/document-store.ts';
import { KIND_MIME } from './canvas/GraphCanvas.tsx';

const GROUPS: [Category, string][] = [
  ['data', 'Data'],
  ['layer', 'Layers'],
  ['activation', 'Activations'],
  ['math', 'Math'],
  ['shape', 'Shape'],
  ['loss', 'Losses'],
  ['group', 'Groups'],
];

export function matchKinds(query: string): NodeKind[] {
  const q = query.trim().toLowerCase();
  const all = [...CATALOG.values()];
  if (!q) return all;
  const score = (k: NodeKind) => {
    const name = k.kind.toLowerCase();
    return name === q
      ? 0
      : name.startsWith(q)
        ? 1
        : name.includes(q)
          ? 2
          : k.doc.toLowerCase().includes(q)
            ? 3
            : 9;
  };
  return all.filter((k) => score(k) < 9).sort((a, b) => score(a) - score(b));
}

export function Palette() {
  const [query, setQuery] = useState('');
  const addNode = useDocument((s) => s.commands.addNode);
  const flow = useReactFlow();
  const kinds = useMemo(() => matchKinds(query), [query]);
  const addAtCentre = (kind: string) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const centre = pane
      ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }
      : { x: 400, y: 300 };
    addNode(kind, flow.screenToFlowPosition(centre));
  };
  return (
    <aside className="palette" data-testid="palette" aria-label="Node palette">
      <input
        className="palette__search"
        placeholder="Search nodes…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && kinds[0] && addAtCentre(kinds[0].kind)}
        aria-label="Search nodes"
      />
      {GROUPS.map(([category, title]) => {
        const items = kinds.filter((k) => k.category === category);
        if (!items.length) return null;
        return (
          <section key={category} className="palette__group">
            <h3>{title}</h3>
            {items.map((k) => (
              <button
                key={k.kind}
                className={`palette__item palette__item--${category}`}
                draggable
                data-testid={`palette-${k.kind}`}
                title={k.doc}
                onDragStart={(e) => {
                  e.dataTransfer.setData(KIND_MIME, k.kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => addAtCentre(k.kind)}
              >
                {k.kind}
              </button>
            ))}
          </section>
        );
      })}
    </aside>
  );
}
