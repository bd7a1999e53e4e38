/**
 * A list that renders only the rows in view (plus a margin): a 1,000-asset fleet or 10,000 audit
 * records cost the DOM a few dozen rows. Rows have one fixed height, which is what makes the
 * window a division rather than a measurement.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  readonly items: readonly T[];
  readonly rowHeight: number;
  /** Height of the scrolling viewport, px. */
  readonly height: number;
  readonly testId: string;
  /** Column headings, kept in view above the rows (inside the scroller, so they line up with them). */
  readonly header?: ComponentChildren;
  row(item: T, index: number): ComponentChildren;
}

const OVERSCAN = 8;

export function VirtualList<T>(props: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / props.rowHeight) - OVERSCAN);
  const last = Math.min(props.items.length, Math.ceil((scrollTop + props.height) / props.rowHeight) + OVERSCAN);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div class="vrow" data-row={i} style={{ top: `${i * props.rowHeight}px`, height: `${props.rowHeight}px` }} key={i}>
        {props.row(props.items[i]!, i)}
      </div>,
    );
  }
  return (
    <div class="vlist" data-testid={props.testId} data-total={props.items.length} style={{ height: `${props.height}px` }} onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)}>
      {props.header && <div class="vhead">{props.header}</div>}
      <div style={{ height: `${props.items.length * props.rowHeight}px`, position: 'relative' }}>{rows}</div>
    </div>
  );
}
