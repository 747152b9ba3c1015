// A live line chart (uPlot: fast enough to redraw at every batch of streamed losses).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  /** Dashed (an earlier run drawn over the live one). */
  dash?: number[];
  values: (number | null)[];
}

export function LineChart({
  x,
  series,
  xLabel,
  yLabel,
  testId,
  width = 300,
  height = 150,
  log = false,
  marker = null,
}: {
  x: number[];
  series: Series[];
  xLabel: string;
  yLabel: string;
  testId: string;
  width?: number;
  height?: number;
  log?: boolean;
  /** An x value marked by a vertical line (the step time travel shows), or null. */
  marker?: number | null;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Read by the draw hook, so a new marker redraws without rebuilding the chart.
  const markerRef = useRef(marker);
  markerRef.current = marker;
  const labels = series.map((s) => s.label).join('|');

  useEffect(() => {
    if (!container.current) return;
    plot.current = new uPlot(
      {
        width,
        height,
        scales: {
          x: { time: false },
          y: log ? { distr: 3 } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { label: xLabel, stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
          {
            label: yLabel,
            stroke: 'currentColor',
            grid: { stroke: 'rgba(128,128,128,0.15)' },
            size: 54,
            values: (_u, ticks) =>
              ticks.map((v) =>
                v === 0 || (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4)
                  ? +v.toPrecision(3)
                  : v.toExponential(0),
              ),
          },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            spanGaps: true,
            ...(s.dash ? { dash: s.dash } : {}),
          })),
        ],
        legend: { show: false },
        hooks: {
          draw: [
            (u) => {
              const at = markerRef.current;
              if (at === null) return;
              const x = Math.round(u.valToPos(at, 'x', true));
              const { ctx } = u;
              ctx.save();
              ctx.strokeStyle = '#e8590c';
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.restore();
            },
          ],
        },
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      container.current,
    );
    return () => plot.current?.destroy();
    // Series data changes are pushed with setData below; only the layout rebuilds the chart.
  }, [labels, width, height, xLabel, yLabel, log]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [x, series]);

  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [marker]);

  return (
    <figure
      className="chart"
      data-testid={testId}
      data-series={series.length}
      data-points={x.length}
      data-marker={marker ?? undefined}
    >
      <figcaption>
        {series.map((s) => (
          <span key={s.label} className="chart__key">
            <i style={{ background: s.color }} /> {s.label}
          </span>
        ))}
      </figcaption>
      <div ref={container} />
    </figure>
  );
}
