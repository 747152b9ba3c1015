// The live loss curve (uPlot: fast enough to redraw at every batch of streamed losses).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function LossChart({ losses }: { losses: number[] }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!container.current) return;
    plot.current = new uPlot(
      {
        width: 320,
        height: 160,
        scales: { x: { time: false } },
        axes: [{ label: 'step' }, { label: 'loss' }],
        series: [{}, { label: 'loss', stroke: '#3b6cf6', width: 1.5 }],
        legend: { show: false },
      },
      [[], []],
      container.current,
    );
    return () => plot.current?.destroy();
  }, []);

  useEffect(() => {
    plot.current?.setData([losses.map((_, i) => i + 1), losses]);
  }, [losses]);

  return <div ref={container} data-testid="loss-chart" />;
}
