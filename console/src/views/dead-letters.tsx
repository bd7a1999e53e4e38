/**
 * The dead-letter browser: what a consumer could not accept, where it came from (topic, partition,
 * offset, consumer group), why (code and reason), and the original key and value as text or hex.
 */
import { previewBytes, type KeptBytes } from '../dead-letter';
import { text, time, type ProjectedEvent } from '../event';
import { recordJson, Search } from './search';

const COLUMNS = <div class="grid-dlq"><span>failed</span><span>source</span><span>consumer group</span><span>code</span><span>reason</span></div>;

function Row(e: ProjectedEvent) {
  const source = `${text(e, 'sourceTopic')}[${text(e, 'sourcePartition')}]@${text(e, 'sourceOffset')}`;
  return (
    <div class="grid-dlq">
      <span class="muted">{time(e.atMs)}</span><span class="ellipsis" title={source}>{source}</span><span class="ellipsis" title={text(e, 'consumerGroup')}>{text(e, 'consumerGroup')}</span>
      <span class="code">{text(e, 'errorCode')}</span><span class="ellipsis" title={text(e, 'reason')}>{text(e, 'reason')}</span>
    </div>
  );
}

function Bytes({ label, kept }: { label: string; kept: KeptBytes | undefined }) {
  const preview = previewBytes(kept);
  if (preview.as === 'none') return <div><span class="muted">{label}</span> none</div>;
  return (
    <div data-testid={`dead-letter-${label}`}>
      <span class="muted">{label} ({preview.length} bytes{preview.truncated ? ', first shown' : ''}, as {preview.as})</span>
      <pre>{preview.shown}</pre>
    </div>
  );
}

function Detail(e: ProjectedEvent) {
  return (
    <div class="dlq-detail">
      <Bytes label="key" kept={e.record.key as KeptBytes | undefined} />
      <Bytes label="value" kept={e.record.value as KeptBytes | undefined} />
      {recordJson(e)}
    </div>
  );
}

export function DeadLetters() {
  return <Search title="Dead letters" path="/v1/dead-letters" testId="dead-letters" header={COLUMNS} row={Row} detail={Detail} emptyText="No dead letter: every consumer accepted every record it read." />;
}
