/** A goal's dependency graph and Gantt chart (SVG), coloured by each step's live dispatch status. */
import type { PlanChart } from '../plan-chart';

const COLOURS: Record<string, string> = {
  planned: '#c8d0e0', pending: '#c8d0e0', ready: '#9cc2ff', leased: '#f0b429', succeeded: '#3fa564',
  failed: '#d33', compensating: '#e07b39', compensated: '#b58cd9', cancelled: '#888',
};
const colour = (status: string) => COLOURS[status] ?? '#c8d0e0';

export function DependencyGraph({ chart }: { chart: PlanChart }) {
  const NODE_W = 120, NODE_H = 26, GAP_X = 50, GAP_Y = 12;
  const status = new Map(chart.bars.map((b) => [b.stepId, b.status]));
  const at = new Map<string, { x: number; y: number }>();
  chart.layers.forEach((layer, i) => layer.forEach((id, j) => at.set(id, { x: i * (NODE_W + GAP_X), y: j * (NODE_H + GAP_Y) })));
  const width = Math.max(1, chart.layers.length) * (NODE_W + GAP_X);
  const height = Math.max(1, ...chart.layers.map((l) => l.length)) * (NODE_H + GAP_Y);
  return (
    <svg class="dag" data-testid="plan-dag" width={width} height={height}>
      {chart.edges.map(({ from, to }) => {
        const a = at.get(from), b = at.get(to);
        return a && b ? <line x1={a.x + NODE_W} y1={a.y + NODE_H / 2} x2={b.x} y2={b.y + NODE_H / 2} stroke="#7a8394" /> : null;
      })}
      {[...at].map(([id, p]) => (
        <g data-step={id} data-status={status.get(id) ?? 'planned'}>
          <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={4} fill={colour(status.get(id) ?? 'planned')} />
          <text x={p.x + 6} y={p.y + 17} font-size="12">{id}</text>
        </g>
      ))}
    </svg>
  );
}

export function Gantt({ chart }: { chart: PlanChart }) {
  const LABEL = 130, WIDTH = 520, ROW = 22;
  const span = Math.max(1, chart.makespanMs, ...chart.bars.map((b) => b.finishMs));
  const x = (ms: number) => LABEL + (ms / span) * WIDTH;
  return (
    <svg class="gantt" data-testid="plan-gantt" width={LABEL + WIDTH + 10} height={chart.bars.length * ROW + 20}>
      {chart.bars.map((b, i) => (
        <g data-testid="gantt-bar" data-step={b.stepId} data-status={b.status}>
          <text x={0} y={i * ROW + 15} font-size="12">{b.stepId}</text>
          <rect x={x(b.startMs)} y={i * ROW + 3} width={Math.max(2, x(b.finishMs) - x(b.startMs))} height={ROW - 6} rx={3} fill={colour(b.status)}>
            <title>{`${b.stepId} on ${b.executorId}: ${b.status}, ${b.startMs}–${b.finishMs} ms`}</title>
          </rect>
        </g>
      ))}
      <text x={LABEL} y={chart.bars.length * ROW + 15} font-size="11" fill="#7a8394">0</text>
      <text x={LABEL + WIDTH - 40} y={chart.bars.length * ROW + 15} font-size="11" fill="#7a8394">{`${(span / 1000).toFixed(1)} s`}</text>
    </svg>
  );
}

/** What the colours of the graph and the Gantt mean. */
export function StatusLegend() {
  return <div class="legend">{Object.entries(COLOURS).map(([status, fill]) => <span><i style={{ background: fill }} />{status}</span>)}</div>;
}
