/**
 * What the demo says about Maestro's decisions, read back through the gateway's read API as the
 * console reads them: anomalies detected, the healer's decisions, and recoveries verified.
 */
import { pause } from './pause';
import type { GatewayTarget } from './gateway-traffic';

interface ReadEvent {
  id: string;
  kind: string;
  atMs: number;
  assetId: string | null;
  summary: string;
  record: { kind?: string; outcome?: string; reasons?: string[] };
}

/** Running totals, for the demo's closing line and its checks. */
export interface Tally {
  detected: number;
  decided: number;
  verified: number;
}

/** Audit kinds worth a line: the healer's decisions and its verdicts on recovery. */
const HEALER_AUDITS = new Set(['healing.decision', 'healing.recovery']);

async function page(target: GatewayTarget, path: string): Promise<ReadEvent[]> {
  const response = await fetch(`${target.url}${path}`, { headers: { authorization: `Bearer ${target.token}` } });
  if (!response.ok) return [];
  return ((await response.json()) as { items: ReadEvent[] }).items;
}

/** Polls the read API every `everyMs` and says each new event once, oldest first, until `signal` aborts. */
export function narrate(target: GatewayTarget, fromMs: number, say: (line: string) => void, signal: AbortSignal, everyMs = 1_000): Tally {
  const tally: Tally = { detected: 0, decided: 0, verified: 0 };
  const seen = new Set<string>();
  const tick = async () => {
    const events = [
      ...await page(target, `/v1/anomalies?from=${fromMs}&limit=200`),
      ...(await page(target, `/v1/audit?from=${fromMs}&limit=500`)).filter((e) => HEALER_AUDITS.has(e.record.kind ?? '')),
    ].filter((e) => !seen.has(e.id)).sort((a, b) => a.atMs - b.atMs);
    for (const event of events) {
      seen.add(event.id);
      if (event.kind === 'anomaly') {
        tally.detected += 1;
        say(`detected   ${event.summary}`);
      } else if (event.record.kind === 'healing.recovery') {
        if (event.record.outcome === 'recovered') tally.verified += 1;
        say(`${event.record.outcome === 'recovered' ? 'verified  ' : 'recovery  '} ${event.assetId}: ${event.record.outcome} (${(event.record.reasons ?? []).join('; ').slice(0, 200)})`);
      } else {
        tally.decided += 1;
        say(`healer     ${event.assetId}: ${event.record.outcome} (${(event.record.reasons ?? [])[0]?.slice(0, 200) ?? ''})`);
      }
    }
  };
  const loop = async () => {
    while (!signal.aborted) {
      try {
        await tick();
      } catch {
        /* the gateway is starting or stopping: the next tick tries again */
      }
      await pause(everyMs, signal);
    }
  };
  void loop();
  return tally;
}
