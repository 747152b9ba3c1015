// The canvas: React Flow showing the document's nodes and edges. View state (dragging,
// selection, viewport) stays in React Flow; the document changes only through commands.
import { Background, Controls, MiniMap, ReactFlow, type Edge } from '@xyflow/react';
import { useMemo } from 'react';
import type { GraphDocument } from '@hgrad/ir';
import { LayerNode, type LayerFlowNode } from './LayerNode.tsx';

const nodeTypes = { layer: LayerNode };

export function GraphCanvas({ document }: { document: GraphDocument }) {
  const nodes = useMemo<LayerFlowNode[]>(
    () =>
      document.nodes.map((n) => ({
        id: n.id,
        type: 'layer',
        position: n.position,
        data: { kind: n.kind, params: n.params },
      })),
    [document],
  );
  const edges = useMemo<Edge[]>(
    () =>
      document.edges.map((e) => ({
        id: e.id,
        source: e.source.node,
        target: e.target.node,
        label: e.source.port === 'output' ? undefined : e.source.port,
      })),
    [document],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      proOptions={{ hideAttribution: true }}
    >
      <Background />
      <MiniMap pannable zoomable nodeColor="#3b6cf6" />
      <Controls />
    </ReactFlow>
  );
}
