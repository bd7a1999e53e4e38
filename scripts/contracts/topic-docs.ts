import type { TopicSpec } from '../../libs/contracts/src/topic-spec';

function retention(ms: number): string {
  if (ms < 0) return 'forever';
  const days = ms / 86_400_000;
  return days >= 1 ? `${days} d` : `${ms / 3_600_000} h`;
}

/** The topic catalog as a Markdown table, for docs/topics.md and the README. */
export function renderTopicTable(topics: readonly TopicSpec[]): string {
  const rows = topics.map((t) =>
    [
      `\`${t.name}\``,
      t.key,
      `\`${t.valueSchema}\``,
      String(t.partitions),
      t.cleanupPolicy,
      retention(t.retentionMs),
      t.producers.join(', '),
      t.consumers.join(', '),
      t.deadLetter ? `\`${t.name}.dlq\`` : '—',
    ].join(' | '),
  );
  return [
    '| topic | key | value (Avro) | partitions | cleanup | retention | producers | consumers | dead letters |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
  ].join('\n');
}
