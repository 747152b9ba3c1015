// The canvas: React Flow over the document. Dragging, selecting and connecting are turned into
// document commands (one undo step each); a refused connection says why, in place.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { useDocument } from '../../state/document-store.ts';
import { useRun } from '../../state/run-store.ts';
import { engineCommands } from '../../state/engine-controller.ts';
import { useUi } from '../../state/ui-store.ts';
import { flowEdges, flowNodes, gradColor, type LayerFlowNode } from './flow-model.ts';
import { LayerNode } from './LayerNode.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';
import { beginImport, isTableFile } from '../../state/table-import.ts';

const nodeTypes = { layer: LayerNode };
const edgeTypes = { routed: RoutedEdge };
export const KIND_MIME = 'application/hgrad-kind';

/**
 * Fitting never zooms below where node text stays readable (about 9 px): a graph too big for the
 * view at that zoom is centred and scrolls instead of shrinking to illegible.
 */
const FIT = { padding: 0.15, duration: 0, minZoom: 0.8, maxZoom: 1.25 } as const;

export function GraphCanvas() {
  const doc = useDocument((s) => s.doc);
  const analysis = useDocument((s) => s.analysis);
  const selection = useDocument((s) => s.selection);
  const opened = useDocument((s) => s.opened);
  const commands = useDocument((s) => s.commands);
  const stats = useRun((s) => s.stats);
  const debug = useRun((s) => s.debug);
  const viewing = useRun((s) => s.history.viewing);
  const openDialog = useUi((s) => s.commands.open);
  const flow = useReactFlow();
  const [dragging, setDragging] = useState<Map<string, { x: number; y: number }>>(new Map());
  // Measured sizes, kept because the nodes are rebuilt from the document on every change.
  const [measured, setMeasured] = useState<Map<string, { width: number; height: number }>>(new Map());
  const [refusal, setRefusal] = useState<string | null>(null);
  const refusalTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const nodes = useMemo(
    () =>
      flowNodes(doc, analysis, selection, stats, debug, dragging).map((n) => {
        const size = measured.get(n.id);
        return size ? { ...n, measured: size } : n;
      }),
    [doc, analysis, selection, stats, debug, dragging, measured],
  );
  const edges = useMemo(
    () => flowEdges(doc, analysis, selection, stats, debug),
    [doc, analysis, selection, stats, debug],
  );

  const minimap = useUi((s) => s.minimap);
  const fitRequest = useUi((s) => s.fitRequest);
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const t = setTimeout(async () => {
      await flow.fitView(FIT);
      // Too wide to fit at a readable zoom: start at the graph's left end (where the data comes
      // in) rather than in its middle; the rest is a scroll away.
      const bounds = flow.getNodesBounds(flow.getNodes());
      const { zoom, y } = flow.getViewport();
      const width = container.current?.clientWidth ?? 0;
      if (width && bounds.width * zoom > width * (1 - FIT.padding))
        void flow.setViewport({ x: 24 - bounds.x * zoom, y, zoom });
    }, 30);
    return () => clearTimeout(t);
  }, [opened, fitRequest, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      const moving = new Map(dragging);
      const finished = new Map<string, { x: number; y: number }>();
      let selectNodes: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          if (c.dragging) moving.set(c.id, c.position);
          else finished.set(c.id, c.position);
        }
        if (c.type === 'position' && !c.dragging && moving.has(c.id)) {
          finished.set(c.id, moving.get(c.id)!);
          moving.delete(c.id);
        }
        if (c.type === 'dimensions' && c.dimensions) {
          const size = c.dimensions;
          setMeasured((m) => new Map(m).set(c.id, size));
        }
        if (c.type === 'select') {
          selectNodes ??= new Set(useDocument.getState().selection.nodes);
          if (c.selected) selectNodes.add(c.id);
          else selectNodes.delete(c.id);
        }
      }
      if (finished.size) {
        for (const id of finished.keys()) moving.delete(id);
        commands.moveNodes(finished);
      }
      if (changes.some((c) => c.type === 'position')) setDragging(moving);
      if (selectNodes)
        commands.select({ nodes: [...selectNodes], edges: useDocument.getState().selection.edges });
    },
    [dragging, commands],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selected: Set<string> | null = null;
      for (const c of changes)
        if (c.type === 'select') {
          selected ??= new Set(useDocument.getState().selection.edges);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
      if (selected) commands.select({ nodes: useDocument.getState().selection.nodes, edges: [...selected] });
    },
    [commands],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const reason = commands.connect(
        { node: c.source, port: c.sourceHandle ?? 'output' },
        { node: c.target, port: c.targetHandle ?? 'input' },
      );
      clearTimeout(refusalTimer.current);
      setRefusal(reason ? `Cannot connect: ${reason}` : null);
      if (reason) refusalTimer.current = setTimeout(() => setRefusal(null), 6000);
    },
    [commands],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      // A table dropped from the desktop or a file manager: import it as the graph's data.
      const file = e.dataTransfer.files[0];
      if (file && isTableFile(file.name)) {
        e.preventDefault();
        return void beginImport(file);
      }
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      commands.addNode(kind, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [commands, flow],
  );

  const onDoubleClick = useCallback(
    (e: MouseEvent) => {
      if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
      openDialog('quickAdd', flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, openDialog],
  );

  return (
    <div className="canvas" data-testid="canvas" onDoubleClick={onDoubleClick} ref={container}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDrop={onDrop}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        {minimap && (
          <MiniMap
            pannable
            zoomable
            ariaLabel="Minimap (View → Show or hide the minimap)"
            style={{ width: 150, height: 100 }}
            nodeColor={(n) =>
              (n.data as { gradNorm: number | null }).gradNorm !== null
                ? gradColor((n.data as { gradNorm: number }).gradNorm)
                : '#3b6cf6'
            }
            nodeStrokeWidth={3}
          />
        )}
        <Controls fitViewOptions={FIT} />
      </ReactFlow>
      {viewing !== null && (
        <div className="canvas__travel" role="status" data-testid="canvas-travel">
          Showing the model at step {viewing} (time travel)
          <button type="button" onClick={() => void engineCommands.travel(null)}>
            Back to live
          </button>
        </div>
      )}
      {refusal && (
        <div className="canvas__refusal" role="alert" data-testid="connection-refused">
          {refusal}
        </div>
      )}
    </div>
  );
}
