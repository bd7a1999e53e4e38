/**
 * A plan as a text Gantt chart: one row per step, a bar from its scheduled start to its finish on a
 * shared time axis, critical-path steps drawn with `#` and the others with `=`. Pure.
 */

export interface GanttStep {
  id: string;
  name: string;
  executorId: string;
  startMs: number;
  finishMs: number;
  critical: boolean;
}

/** `1h 05m`, `2m 30s`, `450ms`: durations as a planner reads them. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/**
 * The chart, `width` columns of bar. A step shorter than one column still gets one mark, so no step
 * disappears; columns are assigned by rounding, so touching steps never overlap by more than one.
 */
export function renderGantt(steps: readonly GanttStep[], width = 60): string[] {
  if (steps.length === 0) return ['(no steps)'];
  const origin = Math.min(...steps.map((s) => s.startMs));
  const span = Math.max(1, Math.max(...steps.map((s) => s.finishMs)) - origin);
  const label = (s: GanttStep) => `${s.name === s.id ? s.id : `${s.id} ${s.name}`}`;
  const labelWidth = Math.min(32, Math.max(...steps.map((s) => label(s).length)));
  // Stable: steps that start together keep the planner's order.
  const ordered = [...steps].sort((a, b) => a.startMs - b.startMs);
  const rows = ordered.map((s) => {
    const from = Math.min(width - 1, Math.round(((s.startMs - origin) / span) * width));
    const to = Math.max(from + 1, Math.round(((s.finishMs - origin) / span) * width));
    const bar = ' '.repeat(from) + (s.critical ? '#' : '=').repeat(to - from) + ' '.repeat(width - to);
    const name = label(s).length > labelWidth ? `${label(s).slice(0, labelWidth - 1)}…` : label(s).padEnd(labelWidth);
    return `${name} |${bar}| ${formatDuration(s.startMs - origin)} → ${formatDuration(s.finishMs - origin)}  ${s.executorId}`;
  });
  const end = formatDuration(span);
  const axis = `${' '.repeat(labelWidth + 2)}0${' '.repeat(Math.max(1, width - 1 - end.length))}${end}`;
  return [...rows, axis, `${' '.repeat(labelWidth + 2)}# critical path  = other steps`];
}
