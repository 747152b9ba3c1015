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
}: {
  x: number[];
  series: Series[];
  xLabel: string;
  yLabel: string;
  testId: string;
  width?: number;
  height?: number;
  log?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
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

  return (
    <figure className="chart" data-testid={testId} data-series={series.length} data-points={x.length}>
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
