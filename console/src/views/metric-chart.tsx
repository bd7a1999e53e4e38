/** One metric of an asset over time (uPlot), with a red marker at each anomaly on that metric. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface MetricChartProps {
  readonly metric: string;
  /** Epoch ms, ascending. */
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
  /** Epoch ms of anomalies on this metric. */
  readonly markers: readonly number[];
}

export function MetricChart(props: MetricChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const markers = props.markers.map((ms) => ms / 1000);
    const plot = new uPlot({
      width: 560, height: 180, title: props.metric,
      scales: { x: { time: true } },
      series: [{}, { label: props.metric, stroke: '#2f6fde', width: 1.5 }],
      hooks: {
        draw: [(u: uPlot) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#d33';
          ctx.lineWidth = 2;
          for (const t of markers) {
            const x = u.valToPos(t, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        }],
      },
    }, [props.times.map((ms) => ms / 1000), [...props.values]], host.current);
    return () => plot.destroy();
  }, [props.metric, props.times, props.values, props.markers]);
  return <div class="chart" data-testid="metric-chart" data-metric={props.metric} data-markers={props.markers.length} ref={host} />;
}
