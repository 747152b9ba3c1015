// An edge that goes around the nodes in its way (edge-route.ts); where the plain curve is clear
// it is React Flow's own bezier. The route follows the nodes as they move.
import { BaseEdge, getBezierPath, useNodes, type Edge, type EdgeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { labelPoint, roundedPath, routeAround, type Box, type Direction } from './edge-route.ts';

export type RoutedFlowEdge = Edge<
  { gradNorm: number | null; flag: string | null; direction: Direction },
  'routed'
>;

export const RoutedEdge = memo(function RoutedEdge(props: EdgeProps<RoutedFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const nodes = useNodes();
  const direction = data?.direction ?? 'LR';
  const route = useMemo(() => {
    const boxes: Box[] = nodes.flatMap((n) =>
      n.measured?.width && n.measured.height && !n.parentId
        ? [{ x: n.position.x, y: n.position.y, width: n.measured.width, height: n.measured.height }]
        : [],
    );
    return routeAround({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }, boxes, direction);
  }, [nodes, sourceX, sourceY, targetX, targetY, direction]);
  const [path, labelX, labelY] = useMemo((): [string, number, number] => {
    if (route) {
      const at = labelPoint(route);
      return [roundedPath(route), at.x, at.y];
    }
    const [bezier, x, y] = getBezierPath({
      sourceX,
      sourceY,
      targetX,
      targetY,
      sourcePosition,
      targetPosition,
    });
    return [bezier, x, y];
  }, [route, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition]);
  return (
    <BaseEdge
      id={props.id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      style={props.style}
      markerEnd={props.markerEnd}
      markerStart={props.markerStart}
      interactionWidth={props.interactionWidth}
    />
  );
});
