/**
 * The discovery loop: telemetry batches, provider polls and evaluation ticks, each turned into one
 * `reconcile` call on the registry, one send of the resulting AssetEvents (and their audit records)
 * and one save of the new state, strictly one after the other through a single queue: every call
 * replaces the whole state, so two overlapping rounds would lose one's changes.
 *
 * Only the lease holder runs rounds. Provider I/O happens outside the queue (a slow endpoint must not
 * hold telemetry up); only the state transition is queued. On taking over, the state is loaded from
 * Redis, else rebuilt from the assets topic, and the first round combines a poll of every provider
 * with every asset this replica has seen alive, so nothing is published from a half-known registry.
 */
import type { Logger } from '@maestro/bus';
import type { AssetEvent, TelemetrySample } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import { changeAudit, providerAudit } from './audit-entries';
import {
  DiscoveryProviderError, reconcile, registryFromEvents,
  type DiscoveryProvider, type RegistryState, type ResolvedDiscoveryConfig, type SourceReport, type TelemetryDiscoveryProvider,
} from './domain/index';
import type { LeaderLease } from './leader-lease';
import { failureMessage } from './providers/index';
import type { RegistryStore } from './registry-store';
import type { TelemetryTracker } from './telemetry-tracker';

export interface DiscoveryLoopOptions {
  config: ResolvedDiscoveryConfig;
  /** Snapshot sources, polled every `pollIntervalMs` by the leader. */
  providers: readonly DiscoveryProvider[];
  telemetry: TelemetryDiscoveryProvider;
  tracker: TelemetryTracker;
  lease: Pick<LeaderLease, 'isLeader' | 'term' | 'forfeit'>;
  store: RegistryStore;
  /** The assets topic read to its end, for a takeover without a stored state. */
  readPublished(): Promise<AssetEvent[]>;
  /** Sends the events (keyed by asset id) and the audit records in one request. */
  publish(events: readonly AssetEvent[], audits: readonly AuditEntry[]): Promise<void>;
  pollIntervalMs: number;
  evaluateIntervalMs: number;
  logger: Logger;
  now(): number;
}

export interface DiscoveryLoop {
  /** Starts the poll and evaluation timers; rounds run only while the lease is held. */
  start(): void;
  /** The telemetry consumer's work: remember the samples; the leader reconciles them before resolving. */
  observeSamples(samples: readonly TelemetrySample[]): Promise<void>;
  /** The lease was acquired: load the state and run a full round now. */
  takeOver(): void;
  /** The lease was lost: forget the state, which the next leader owns. */
  standDown(): void;
  /** Stops the timers and waits for the round in progress. Safe to call twice. */
  stop(): Promise<void>;
}

type RoundKind = 'telemetry' | 'poll' | 'takeover' | 'evaluate';

interface PollResult {
  report: SourceReport | null;
  audit: AuditEntry | null;
}

function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: (): Promise<void> => tail.then(() => undefined),
  };
}

export function createDiscoveryLoop(options: DiscoveryLoopOptions): DiscoveryLoop {
  const { config, providers, telemetry, tracker, lease, store, logger, now } = options;
  const queue = createSerialQueue();
  let registry: RegistryState | null = null;
  let registryTerm = 0;
  let takeoverPending = false;
  let queuedFlush: Promise<void> | null = null;
  let evaluateQueued = false;
  // Per source, the problems last audited: a source that keeps failing the same way is audited once.
  const auditedProblems = new Map<string, string>();
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let evaluateTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;
  let pollAgain = false;

  /** The registry of the current term: loaded from Redis, else rebuilt from the topic. */
  async function currentState(): Promise<RegistryState> {
    const term = lease.term();
    if (registry !== null && registryTerm === term) return registry;
    let state = await store.load();
    if (state !== null) {
      logger.info({ assets: Object.keys(state.assets).length, term }, 'registry loaded from Redis');
    } else {
      const events = await options.readPublished();
      state = registryFromEvents(events, now(), config);
      logger.info({ records: events.length, assets: Object.keys(state.assets).length, term }, 'registry rebuilt from the assets topic');
    }
    registry = state;
    registryTerm = term;
    return state;
  }

  /** One state transition. Returns false when this replica is not the leader (nothing applied). */
  async function applyRound(kind: RoundKind, reports: readonly SourceReport[], audits: readonly AuditEntry[]): Promise<boolean> {
    if (!lease.isLeader()) return false;
    const before = await currentState();
    const nowMs = now();
    const { state, events } = reconcile(before, reports, nowMs, config);
    // Re-checked after the load, which may have read the whole topic: a lease that ran out meanwhile
    // belongs to another replica now, which publishes instead.
    if (!lease.isLeader()) return false;
    const previous = new Map<string, AssetEvent | null>();
    const changeAudits = events.map((event) => {
      const prior = previous.has(event.assetId) ? (previous.get(event.assetId) ?? null) : (before.assets[event.assetId]?.published ?? null);
      previous.set(event.assetId, event);
      return changeAudit(event, prior, before.assets[event.assetId], config);
    });
    if (events.length > 0 || audits.length > 0) await options.publish(events, [...audits, ...changeAudits]);
    // Published is the truth from here on, even if the save fails: the next round's save covers it.
    registry = state;
    for (const event of events) logger.info({ round: kind, assetId: event.assetId, change: event.change, sources: event.sources }, 'asset change published');
    if (!(await store.save(state))) {
      registry = null;
      lease.forfeit('Redis refused the state save: another replica holds the lease');
      return false;
    }
    logger.debug({ round: kind, events: events.length, assets: Object.keys(state.assets).length }, 'round done');
    return true;
  }

  async function pollProvider(provider: DiscoveryProvider, nowMs: number): Promise<PollResult> {
    let report: SourceReport | null = null;
    let unexpected: string | null = null;
    try {
      report = { source: provider.name, assets: await provider.poll(nowMs) };
    } catch (err: unknown) {
      // DiscoveryProviderError: the source never answered and is in its startup grace, so it is
      // skipped and the registry keeps what it said before. Anything else is a provider bug; the
      // source is skipped too rather than taken to list nothing.
      if (!(err instanceof DiscoveryProviderError)) {
        unexpected = failureMessage(err);
        logger.error({ err, source: provider.name }, 'provider poll threw; source skipped this round');
      }
    }
    const last = provider.lastPoll();
    const reasons = [...(last?.problems ?? []).map((p) => `${p.code}: ${p.message}`), ...(unexpected !== null ? [`unexpected: ${unexpected}`] : [])];
    const signature = `${last?.outcome ?? 'none'}|${reasons.join('|')}`;
    const quiet = reasons.length === 0;
    const seen = auditedProblems.get(provider.name);
    let audit: AuditEntry | null = null;
    if (quiet) {
      if (seen !== undefined) logger.info({ source: provider.name }, 'provider answers cleanly again');
      auditedProblems.delete(provider.name);
    } else if (seen !== signature) {
      auditedProblems.set(provider.name, signature);
      logger.warn({ source: provider.name, outcome: last?.outcome ?? null, served: report !== null, reasons }, 'provider poll had problems');
      audit = providerAudit(last ?? { source: provider.name, atMs: nowMs, outcome: 'unavailable', assetCount: 0, lastGoodAtMs: null, problems: [] }, reasons);
    } else {
      logger.debug({ source: provider.name, outcome: last?.outcome ?? null, reasons }, 'provider poll had the same problems again');
    }
    return { report, audit };
  }

  async function pollOnce(): Promise<void> {
    if (!lease.isLeader() || (providers.length === 0 && !takeoverPending)) return;
    const nowMs = now();
    const results = await Promise.all(providers.map((p) => pollProvider(p, nowMs)));
    const audits = results.flatMap((r) => (r.audit ? [r.audit] : []));
    await queue.run(async () => {
      const reports = results.flatMap((r) => (r.report ? [r.report] : []));
      // Decided here, not when the poll started: whichever poll round applies first after a takeover
      // also vouches for every asset seen alive within the staleness window.
      const takeover = takeoverPending;
      takeoverPending = false;
      if (takeover) reports.push({ source: telemetry.name, assets: [...tracker.takeChanged(), ...tracker.seenSince(now() - config.staleAfterMs)] });
      if (reports.length === 0 && audits.length === 0) return;
      try {
        await applyRound(takeover ? 'takeover' : 'poll', reports, audits);
      } catch (err: unknown) {
        if (takeover) takeoverPending = true;
        throw err;
      }
    });
  }

  function runPoll(): void {
    if (stopped) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = pollOnce()
      .catch((err: unknown) => logger.error({ err }, 'discovery poll round failed; the next one retries'))
      .finally(() => {
        polling = null;
        // A failed takeover is retried soon: until it succeeds, telemetry and evaluation wait.
        const delayMs = pollAgain ? 0 : takeoverPending ? Math.min(1_000, options.pollIntervalMs) : options.pollIntervalMs;
        pollAgain = false;
        schedulePoll(delayMs);
      });
  }

  function schedulePoll(delayMs: number): void {
    clearTimeout(pollTimer);
    if (!stopped) pollTimer = setTimeout(runPoll, delayMs);
  }

  function flushTelemetry(): Promise<void> {
    queuedFlush ??= queue.run(async () => {
      queuedFlush = null;
      // Until the takeover round has run, new samples wait in the tracker: it reports them all.
      if (takeoverPending) return;
      const changed = tracker.takeChanged();
      if (changed.length === 0) return;
      try {
        if (!(await applyRound('telemetry', [{ source: telemetry.name, assets: changed }], []))) return;
      } catch (err: unknown) {
        tracker.observe(changed); // marked changed again, for the retried batch or the next round
        throw err;
      }
    });
    return queuedFlush;
  }

  return {
    start() {
      schedulePoll(0);
      evaluateTimer = setInterval(() => {
        tracker.prune(now() - config.staleAfterMs);
        // Not before the takeover round: a state saved long ago would mark live assets stale.
        if (!lease.isLeader() || evaluateQueued || takeoverPending) return;
        evaluateQueued = true;
        queue
          .run(() => {
            evaluateQueued = false;
            return applyRound('evaluate', [], []);
          })
          .catch((err: unknown) => logger.error({ err }, 'discovery evaluation failed; the next tick retries'));
      }, options.evaluateIntervalMs);
    },
    observeSamples(samples) {
      tracker.observe(telemetry.observeSamples(samples));
      if (!lease.isLeader()) {
        // A standby keeps the latest sample of each asset, reported in full if it takes over.
        tracker.takeChanged();
        return Promise.resolve();
      }
      // Taking over (maybe reading the whole assets topic): the samples wait in the tracker for the
      // takeover round, and the consumer is not held past its session timeout meanwhile.
      if (takeoverPending) return Promise.resolve();
      return flushTelemetry();
    },
    takeOver() {
      takeoverPending = true;
      auditedProblems.clear();
      clearTimeout(pollTimer);
      runPoll();
    },
    standDown() {
      registry = null;
      takeoverPending = false;
    },
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearInterval(evaluateTimer);
      await polling;
      await queue.idle();
    },
  };
}
