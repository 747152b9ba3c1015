// A graph node on the canvas: its kind, id and parameters, with input and output ports.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';

export type LayerNodeData = { kind: string; params: Record<string, unknown> };
export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

function describe(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function LayerNode({ id, data }: NodeProps<LayerFlowNode>) {
  return (
    <div className="layer-node" data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} />
      <div className="layer-node__kind">{data.kind}</div>
      <div className="layer-node__id">{id}</div>
      {Object.keys(data.params).length > 0 && (
        <div className="layer-node__params">{describe(data.params)}</div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
