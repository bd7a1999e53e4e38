import { randomHex } from './random-hex';

/**
 * W3C Trace Context (traceparent: version-traceid-parentid-flags). Records carry it in the
 * `traceparent` header; a service that handles a record and produces another continues the same
 * trace with a new span id, so one sample can be followed to the healing action it caused.
 */
export const TRACEPARENT_HEADER = 'traceparent';

const pattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

export function parseTraceparent(header: string | Buffer | undefined | null): TraceContext | null {
  if (!header) return null;
  const match = pattern.exec(header.toString());
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return null;
  return { traceId: match[1]!, spanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}

/** A new span under the parent's trace, or the root of a new trace when there is no parent. */
export function childTrace(parent: TraceContext | null): TraceContext {
  return {
    traceId: parent?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    sampled: parent?.sampled ?? true,
  };
}
