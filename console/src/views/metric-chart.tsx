/**
 * One metric of an asset over time (uPlot), with a red marker at each anomaly on that metric. The
 * plot is made once per metric and given new values with setData, so a refresh never flickers.
 * Its ranges come from ../chart-range.ts (a single sample gets minutes of axis, not years); times
 * are in UTC like every other time in the console. The host element carries the ranges drawn
 * (data-x-min/max in epoch ms, data-y-min/max) for the browser tests.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { autoTimeRange, valueRange } from '../chart-range';

export interface MetricChartProps {
  readonly metric: string;
  /** Epoch ms, ascending. */
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
  /** Epoch ms of anomalies on this metric. */
  readonly markers: readonly number[];
}

const seconds = (ms: readonly number[]) => ms.map((t) => t / 1000);

export function MetricChart(props: MetricChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Read by the draw hook at each redraw: the markers of the latest props.
  const markers = useRef<number[]>([]);
  markers.current = seconds(props.markers);

  useEffect(() => {
    if (!host.current) return;
    plot.current = new uPlot({
      width: 560, height: 180, title: props.metric,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true, range: (u, min, max) => autoTimeRange(min, max, u.data[0][0], u.data[0].at(-1), Date.now() / 1000) },
        y: { range: (_u, min, max) => valueRange(min, max) },
      },
      series: [{ label: 'UTC' }, { label: props.metric, stroke: '#2f6fde', width: 1.5 }],
      hooks: {
        draw: [(u: uPlot) => {
          const { x, y } = u.scales;
          const el = host.current;
          if (el && x?.min != null && x.max != null && y?.min != null && y.max != null) {
            Object.assign(el.dataset, { xMin: String(Math.round(x.min * 1000)), xMax: String(Math.round(x.max * 1000)), yMin: String(y.min), yMax: String(y.max) });
          }
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#d33';
          ctx.lineWidth = 2;
          for (const t of markers.current) {
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
    }, [[], []], host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [props.metric]);

  useEffect(() => {
    plot.current?.setData([seconds(props.times), [...props.values]]);
  }, [props.metric, props.times, props.values, props.markers]);

  return <div class="chart" data-testid="metric-chart" data-metric={props.metric} data-markers={props.markers.length} ref={host} />;
}
