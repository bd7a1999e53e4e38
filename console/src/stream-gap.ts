/**
 * The live stream's `gap` event, for the operator. The gateway sends it when the console reconnects
 * with a Last-Event-ID older than the newest id the projector trimmed from the tenant's stream: the
 * events in between were never sent and never will be. Where they went (services/projector, its
 * project-batch.lua): the stream keeps about PROJECTOR_MAX_EVENTS of the tenant's newest events, and
 * the read API's lists are trimmed to the same bound (the oldest by time leave every index), so a
 * reload does not bring them back either; only the latest event of each asset is kept unbounded, so
 * a reload does refresh the fleet. Pure, so its wording is unit-tested (test/console/stream-gap.test.ts).
 */
import { time } from './event';

/** What was skipped, as far as the gateway said: both ends are stream times (epoch ms), null when not said. */
export interface StreamGap {
  /** When the last event this console got was added to the stream. */
  readonly afterMs: number | null;
  /** When the newest event trimmed away was added: everything between the two was missed. */
  readonly upToMs: number | null;
}

/** A Redis stream id (`<ms>-<seq>`) as the time it was added, in epoch ms; null for anything else. */
export function streamIdMs(id: unknown): number | null {
  if (typeof id !== 'string') return null;
  const match = /^(\d+)-\d+$/.exec(id);
  return match ? Number(match[1]) : null;
}

/** The gap an event's data says (`{lastEventId, trimmedUpTo}`); a gap of unknown ends if the data is unreadable. */
export function gapOf(data: string): StreamGap {
  const body = ((): { lastEventId?: unknown; trimmedUpTo?: unknown } | null => {
    try {
      return JSON.parse(data) as { lastEventId?: unknown; trimmedUpTo?: unknown } | null;
    } catch {
      // Still a gap: the event's name is what says events were skipped.
      return null;
    }
  })();
  return { afterMs: streamIdMs(body?.lastEventId), upToMs: streamIdMs(body?.trimmedUpTo) };
}

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Two gaps of one session as one notice: from the earliest start to the latest end. */
export function mergeGaps(seen: StreamGap | null, next: StreamGap): StreamGap {
  if (seen === null) return next;
  return { afterMs: earliest(seen.afterMs, next.afterMs), upToMs: latest(seen.upToMs, next.upToMs) };
}

/** The notice, in two parts: what happened, and what the lists show now. */
export function describeGap(gap: StreamGap, maxPerKind: number): { title: string; detail: string } {
  const span = gap.afterMs !== null && gap.upToMs !== null ? `added to the stream after ${time(gap.afterMs)} up to ${time(gap.upToMs)}`
    : gap.upToMs !== null ? `added to the stream up to ${time(gap.upToMs)}`
      : 'added to the stream while it was away';
  return {
    title: 'Some live events were missed.',
    detail: `While this console was disconnected, the gateway trimmed the events ${span} before it could send them `
      + '(its stream keeps a tenant\'s newest PROJECTOR_MAX_EVENTS). The read API\'s lists are trimmed to the same bound, so a reload does not bring them back. '
      + `The lists show the newest events this console received, at most ${maxPerKind.toLocaleString('en')} of each kind, without those; `
      + 'each asset\'s latest state is kept, so a reload does refresh the fleet.',
  };
}
