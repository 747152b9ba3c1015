// A graph node on the canvas: kind, id and key params, one handle per port (inputs left,
// outputs right, each labelled with its name and output shape), a badge when analysis found
// problems, a border coloured by gradient magnitude while training, a highlight when the
// step-through debugger is on it.
import { formatNumber } from '../../format.ts';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { gradColor, type LayerFlowNode } from './flow-model.ts';
import { StepCard } from './StepCard.tsx';

/** 1,234 → "1.2k", 9,098 → "9.1k", 101,770 → "102k": a count that fits on a node face. */
function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${n < 1e4 ? (n / 1e3).toFixed(1) : Math.round(n / 1e3)}k`;
  return `${n < 1e7 ? (n / 1e6).toFixed(1) : Math.round(n / 1e6)}M`;
}

/** The gradient bar's length: log10 of the norm from 1e-6 (empty) to 10 (full), in percent. */
export const gradBarWidth = (norm: number): number =>
  norm > 0 ? Math.round(Math.max(0, Math.min(1, (Math.log10(norm) + 6) / 7)) * 100) : 0;

/**
 * The first sample's activation as a strip of cells (bucket means of the flattened output),
 * coloured on a diverging scale around 0 by its largest magnitude: which units fire, live.
 */
function ActivationStrip({ id, values }: { id: string; values: number[] }) {
  const scale = Math.max(1e-12, ...values.map(Math.abs));
  return (
    <div
      className="layer-node__strip"
      data-testid={`activation-strip-${id}`}
      data-values={values.join(' ')}
      title={`activation of the batch's first sample (${values.length} ${values.length === 1 ? 'value' : 'bucket means'}; largest |value| ${formatNumber(scale)})`}
    >
      {values.map((v, i) => {
        const t = Math.min(1, Math.abs(v) / scale);
        const hue = v >= 0 ? 8 : 220;
        return <i key={i} style={{ background: `hsl(${hue} 80% ${Math.round(97 - 47 * t)}%)` }} />;
      })}
    </div>
  );
}

export const LayerNode = memo(function LayerNode({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const classes = [
    'layer-node',
    `layer-node--${data.category}`,
    selected ? 'layer-node--selected' : '',
    data.problems.length ? 'layer-node--problem' : '',
    data.active ? `layer-node--active layer-node--${data.active}` : '',
  ].join(' ');
  const style = data.gradNorm !== null ? { borderColor: gradColor(data.gradNorm) } : undefined;
  const rows = Math.max(data.inputs.length, data.outputs.length);
  // Top to bottom: inputs along the top edge and outputs along the bottom, spread evenly; left to
  // right: each port's handle on its row. React Flow measures handles once, so a new direction
  // asks it to measure again.
  const tb = data.direction === 'TB';
  const updateInternals = useUpdateNodeInternals();
  useEffect(() => updateInternals(id), [tb, id, updateInternals]);
  const spread = (i: number, n: number) => ({ left: `${((i + 0.5) / n) * 100}%` });
  return (
    <div className={classes} style={style} data-testid={`node-${id}`} data-kind={data.kind}>
      <div className="layer-node__header">
        <span className="layer-node__kind">{data.kind}</span>
        {data.problems.length > 0 && (
          <span className="layer-node__badge" data-testid={`badge-${id}`} title={data.problems.join('\n')}>
            ⚠ {data.problems.length}
          </span>
        )}
        {data.gradFlag && (
          <span
            className={`layer-node__flag layer-node__flag--${data.gradFlag}`}
            title={`Gradient norm ${formatNumber(data.gradNorm)}`}
          >
            {data.gradFlag === 'vanishing' ? 'vanishing ∇' : 'exploding ∇'}
          </span>
        )}
      </div>
      <div className="layer-node__id">{id}</div>
      <div className="layer-node__ports">
        {Array.from({ length: rows }, (_, i) => {
          const input = data.inputs[i];
          const output = data.outputs[i];
          return (
            <div className="layer-node__port-row" key={i}>
              <span className="layer-node__port layer-node__port--in">
                {input && (
                  <>
                    {!tb && (
                      <Handle type="target" position={Position.Left} id={input.name} title={input.doc} />
                    )}
                    {input.name}
                  </>
                )}
              </span>
              <span className="layer-node__port layer-node__port--out">
                {output && (
                  <>
                    {output.name}
                    {data.shapes[output.name] && (
                      <span className="layer-node__shape"> {data.shapes[output.name]}</span>
                    )}
                    {!tb && (
                      <Handle type="source" position={Position.Right} id={output.name} title={output.doc} />
                    )}
                  </>
                )}
              </span>
            </div>
          );
        })}
      </div>
      {(data.summary || data.params > 0) && (
        <div className="layer-node__summary">
          {data.summary}
          {data.params > 0 && (
            <span className="layer-node__params" data-testid="node-params">
              {data.summary ? ' · ' : ''}
              {formatCount(data.params)} params
            </span>
          )}
        </div>
      )}
      {data.activation && <ActivationStrip id={id} values={data.activation} />}
      {data.gradNorm !== null && (
        <div
          className="layer-node__gradbar"
          title={`gradient norm ${formatNumber(data.gradNorm)} (latest step; the bar is on a log scale from 1e-6 to 10)`}
          data-testid={`gradbar-${id}`}
          data-grad={data.gradNorm}
        >
          <i style={{ width: `${gradBarWidth(data.gradNorm)}%`, background: gradColor(data.gradNorm) }} />
        </div>
      )}
      {tb &&
        data.inputs.map((p, i) => (
          <Handle
            key={`in-${p.name}`}
            type="target"
            position={Position.Top}
            id={p.name}
            title={`${p.name}: ${p.doc}`}
            style={spread(i, data.inputs.length)}
          />
        ))}
      {tb &&
        data.outputs.map((p, i) => (
          <Handle
            key={`out-${p.name}`}
            type="source"
            position={Position.Bottom}
            id={p.name}
            title={`${p.name}: ${p.doc}`}
            style={spread(i, data.outputs.length)}
          />
        ))}
      {data.active && <StepCard nodeId={id} />}
    </div>
  );
});
