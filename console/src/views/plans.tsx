/** Plans and their executions as the API exposes them: each charter's latest state, with live dispatch counts. */
import type { EventStore } from '../event-store';
import { text, time, type ProjectedEvent } from '../event';

export function Plans({ store }: { store: EventStore }) {
  const latest = new Map<string, ProjectedEvent>();
  for (const e of [...store.ofKind('plan'), ...store.ofKind('execution')]) {
    const key = `${e.kind}:${text(e, 'charterId')}:${text(e, 'goalId')}`;
    const current = latest.get(key);
    if (!current || current.atMs <= e.atMs) latest.set(key, e);
  }
  const rows = [...latest.values()].sort((a, b) => b.atMs - a.atMs);
  return (
    <section>
      <h2>Plans <span class="muted">({rows.length})</span></h2>
      <table data-testid="plans"><thead><tr><th>updated</th><th>kind</th><th>charter</th><th>goal</th><th>state</th></tr></thead>
        <tbody>{rows.slice(0, 200).map((e) => (
          <tr><td class="muted">{time(e.atMs)}</td><td>{e.kind}</td><td>{text(e, 'charterId')}</td><td>{text(e, 'goalId')}</td><td>{e.summary}</td></tr>
        ))}</tbody></table>
      {rows.length === 0 && <p class="muted">No plan yet.</p>}
    </section>
  );
}
