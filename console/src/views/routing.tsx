/** Routing decisions, and for the one selected every candidate: chosen, runner-up, fallbacks, rejected with reasons. */
import { useState } from 'preact/hooks';
import type { EventStore } from '../event-store';
import { list, text, time, type ProjectedEvent } from '../event';
import { VirtualList } from '../virtual-list';
import { Empty } from './empty';

interface Candidate { assetId: string; role: string; score: string; reasons: string }

function candidates(d: ProjectedEvent): Candidate[] {
  const rows: Candidate[] = [];
  const score = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '');
  if (d.record.assetId) rows.push({ assetId: text(d, 'assetId'), role: 'chosen', score: score(d.record.score), reasons: Object.entries((d.record.breakdown ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') });
  if (d.record.runnerUpAssetId) rows.push({ assetId: text(d, 'runnerUpAssetId'), role: 'runner-up', score: score(d.record.runnerUpScore), reasons: `margin ${score(d.record.margin)}` });
  for (const f of list(d, 'fallbacks')) if (f !== d.record.runnerUpAssetId) rows.push({ assetId: f, role: 'fallback', score: '', reasons: '' });
  for (const r of (d.record.rejections ?? []) as { assetId: string; reasons: string[] }[]) rows.push({ assetId: r.assetId, role: 'rejected', score: '', reasons: r.reasons.join('; ') });
  return rows;
}

export function Routing({ store, loading }: { store: EventStore; loading: boolean }) {
  const items = [...store.ofKind('routing')].reverse();
  const [selected, setSelected] = useState<string | null>(null);
  const decision = items.find((d) => d.id === selected) ?? items[0] ?? null;
  return (
    <section>
      <h2>Routing decisions <span class="muted">({items.length})</span></h2>
      {items.length === 0 && <Empty loading={loading}>No routing decision yet. Submit a job (<code>npm run maestro -- job submit</code>, or <code>POST /v1/jobs</code>): the router's decision and every candidate it weighed appear here.</Empty>}
      {items.length > 0 && <VirtualList testId="routing-list" items={items} rowHeight={28} height={260} row={(d) => (
        <div class={`line clickable ${decision?.id === d.id ? 'selected' : ''}`} title={d.summary} onClick={() => setSelected(d.id)}><span class="muted">{time(d.atMs)}</span> {d.summary}</div>
      )} />}
      {decision && (
        <div class="card" data-testid="routing-detail">
          <h3>{text(decision, 'jobId')} ({text(decision, 'jobClass')}): {text(decision, 'outcome')}</h3>
          <p>{text(decision, 'reasoning')}</p>
          <p class="muted">{text(decision, 'eligibleCount')} of {text(decision, 'candidateCount')} candidates eligible{Number(decision.record.rejectionsOmitted) > 0 ? `; ${text(decision, 'rejectionsOmitted')} rejections not listed` : ''}</p>
          <table><thead><tr><th>candidate</th><th>role</th><th>score</th><th>why</th></tr></thead>
            <tbody>{candidates(decision).map((c) => <tr class={c.role}><td>{c.assetId}</td><td>{c.role}</td><td>{c.score}</td><td>{c.reasons}</td></tr>)}</tbody></table>
        </div>
      )}
    </section>
  );
}
