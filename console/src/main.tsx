/**
 * The Maestro console: asks for an API token once, loads the recent history of every list route,
 * then stays live on GET /v1/events. Views are chosen by the URL's hash (#/fleet, #/asset/<id>, ...).
 * A token refused 401 — at once, or later because it was revoked or replaced — ends the session:
 * back to the form, saying which of the two happened and what to do, the stream stopped and what
 * it had shown gone (not left on screen as if it were live).
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { forgetToken, getAll, savedToken, saveToken } from './api';
import { ApiError, explain, UNREACHABLE } from './api-error';
import type { ProjectedEvent } from './event';
import type { FleetFacet } from './fleet-row';
import { createEventStore, MAX_PER_KIND, type EventStore } from './event-store';
import { noFilter } from './list-filter';
import { HISTORY, kindsOf, type ListHistory } from './history';
import { connectLive, type LiveState } from './live';
import { SessionContext, type Session } from './session';
import { describeGap, mergeGaps, type StreamGap } from './stream-gap';
import { useStore } from './use-store';
import { AssetView } from './views/asset';
import { DeadLetters } from './views/dead-letters';
import { Fleet } from './views/fleet';
import { Incidents, type IncidentFacet, type IncidentPage } from './views/incidents';
import { Plans } from './views/plans';
import { Recommendations, type RecommendationFacet } from './views/recommendations';
import { Routing, type RoutingFacet } from './views/routing';
import { ErrorBanner } from './views/error-banner';
import { Search } from './views/search';
import { AUDIT_SERVICES } from './audit-services';
import { readableAudit } from './audit-record';

const TABS = [['fleet', 'Fleet'], ['incidents', 'Incidents'], ['recommendations', 'Recommendations'], ['routing', 'Routing'], ['plans', 'Plans'], ['audit', 'Audit'], ['dead-letters', 'Dead letters']] as const;

/** An audit record opened in the Audit view, its decision's details parsed. */
const auditJson = (e: ProjectedEvent) => <pre>{JSON.stringify(readableAudit(e.record), null, 2)}</pre>;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/** Why the console is back at its form: the token was refused 401, when pasted or later in the session. */
interface SignedOut {
  readonly error: ApiError;
  /** True when the gateway had accepted the token in this session and stopped (revoked, replaced, another tenant). */
  readonly midSession: boolean;
}

function TokenForm({ signedOut, onToken }: { signedOut: SignedOut | null; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  return (
    <form class="token card" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value); }}>
      <h2>Maestro console</h2>
      {signedOut?.midSession && (
        <div class="banner" role="alert" data-testid="session-ended">
          <b>This session is no longer authorised.</b>
          <span>The gateway stopped accepting this console's token ({signedOut.error.message}): it was revoked or replaced.
            Live updates are stopped and what was shown is cleared. Make a new token with <code>npm run maestro -- token add &lt;name&gt; --tenant &lt;tenant&gt;</code> (a running gateway takes it within a second) and paste it here: you return to the same view.</span>
        </div>
      )}
      <p>Paste an API token (<code>npm run maestro -- token add</code>). It is kept in this browser only.</p>
      {signedOut && !signedOut.midSession && <p class="error">{explain(signedOut.error).title}: {explain(signedOut.error).hint}</p>}
      <input name="token" type="password" autoComplete="off" placeholder="tokenId.secret" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Open</button>
    </form>
  );
}

/** Non-blocking: a status, not an alert, and the views stay usable under it. */
function GapNotice({ gap, onDismiss }: { gap: StreamGap; onDismiss(): void }) {
  const { title, detail } = describeGap(gap, MAX_PER_KIND);
  return <div class="banner notice" role="status" data-testid="live-gap"><b>{title}</b> <span>{detail}</span> <button type="button" onClick={onDismiss}>dismiss</button></div>;
}

function Console({ store, onSignOut }: { store: EventStore; onSignOut(signedOut?: SignedOut): void }) {
  useStore(store);
  const hash = useHash();
  const [live, setLive] = useState<LiveState>('connecting');
  // Why the stream is down, kept while it retries (connecting) so that the banner does not blink.
  const [failure, setFailure] = useState<unknown>(null);
  // Whether the gateway has accepted the token in this session: a later 401 means it was revoked.
  const accepted = useRef(false);
  const unauthorized = (error: ApiError) => onSignOut({ error, midSession: accepted.current });
  const [loading, setLoading] = useState(true);
  // Each list's filter (and the incidents' page) outlives its view: a look at an asset and back finds the list as it was.
  const [fleetFilter, setFleetFilter] = useState(noFilter<FleetFacet>);
  const [incidentFilter, setIncidentFilter] = useState(noFilter<IncidentFacet>);
  const [incidentPage, setIncidentPage] = useState<IncidentPage>(() => ({ filter: incidentFilter, page: 0 }));
  const [recommendationFilter, setRecommendationFilter] = useState(noFilter<RecommendationFacet>);
  const [routingFilter, setRoutingFilter] = useState(noFilter<RoutingFacet>);
  // The first failure is the banner's; every failed route is remembered, so that each view knows whether its own list came.
  const [historyError, setHistoryError] = useState<{ path: string; error: unknown; failed: ReadonlySet<string> } | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Events the stream skipped (trimmed while it was away): said until dismissed, merged if it happens again.
  const [gap, setGap] = useState<StreamGap | null>(null);
  useEffect(() => {
    const stop = connectLive({
      onGap: (next) => setGap((seen) => mergeGaps(seen, next)),
      onEvent: (e) => store.add([e]),
      onState: (state, why) => {
        setLive(state);
        if (state === 'live') {
          accepted.current = true;
          setFailure(null);
        } else if (why !== undefined) setFailure(why);
      },
      onUnauthorized: unauthorized,
    });
    return stop;
  }, [store]);
  useEffect(() => {
    // The stream is opened first (above), then the history: an event that lands between the two is in one or the other, and the store drops the copy.
    setLoading(true);
    setHistoryError(null);
    // Cancelled when the console closes: a page still in flight after "forget token" would answer
    // 401 and sign out the next token pasted.
    const abort = new AbortController();
    // Every route is waited for, failed or not: a view must not say "nothing yet" while its history is still coming.
    void Promise.all(HISTORY.map(async ([path, max, kinds, params = {}]) => {
      try {
        const events = await getAll(path, params, max, abort.signal);
        store.add(events);
        // Newest first: a history that stopped at its bound holds nothing older than its last event.
        if (events.length >= max) for (const kind of kinds) store.setHistoryStart(kind, events[events.length - 1]!.atMs);
        accepted.current = true;
        return null;
      } catch (error) {
        return { path, error };
      }
    })).then((outcomes) => {
      if (abort.signal.aborted) return;
      setLoading(false);
      const failures = outcomes.filter((o) => o !== null);
      // What the views tell from these kinds (health, decisions) is unknown until a retry loads them.
      store.setUnloaded(kindsOf(failures.map((f) => f.path)));
      const failed = failures[0];
      if (!failed) return;
      if (failed.error instanceof ApiError && failed.error.status === 401) unauthorized(failed.error);
      else setHistoryError({ ...failed, failed: new Set(failures.map((f) => f.path)) });
    });
    return () => abort.abort();
  }, [store, attempt]);
  // A gateway that comes back is noticed by the stream first: the history that failed is asked for again then.
  useEffect(() => {
    if (live === 'live' && historyError !== null && !loading) setAttempt((a) => a + 1);
  }, [live]);
  const down = live !== 'live' && failure !== null;
  const gatewayUnreachable = down && failure instanceof ApiError && failure.status === UNREACHABLE;
  const session = useMemo<Session>(() => ({ gatewayUnreachable, unauthorized }), [gatewayUnreachable]);
  const why = down ? (failure instanceof ApiError ? explain(failure) : { title: 'The live stream ended', hint: failure instanceof Error ? failure.message : String(failure) }) : null;

  const retryHistory = () => setAttempt((a) => a + 1);
  const historyOf = (path: string): ListHistory => ({ state: loading ? 'loading' : historyError?.failed.has(path) ? 'failed' : 'loaded', retry: retryHistory });

  const [, view = 'fleet', arg = ''] = /^#\/([^/]*)\/?(.*)$/.exec(hash) ?? [];
  return (
    <SessionContext.Provider value={session}>
      <header>
        <b>Maestro</b>
        <nav>{TABS.map(([id, label]) => <a href={`#/${id}`} class={view === id ? 'active' : ''}>{label}</a>)}</nav>
        <span class={`live ${live}`} data-testid="live-state" title={why ? `${why.title}: ${why.hint}` : ''}>{live}</span>
        {loading && <span class="muted">loading history…</span>}
        <button class="link" onClick={() => onSignOut()}>forget token</button>
      </header>
      <div class="banners">
        {historyError !== null && <ErrorBanner error={historyError.error} context={`GET ${[...historyError.failed].join(', ')}`} testId="history-error" onRetry={retryHistory} />}
        {gap !== null && <GapNotice gap={gap} onDismiss={() => setGap(null)} />}
        {why && <div class="banner" role="status" data-testid="live-down"><b>{why.title}</b> <span>{why.hint}</span> <span class="muted">Live updates are paused; the console reconnects by itself.</span></div>}
      </div>
      <main>
        {view === 'fleet' && <Fleet store={store} history={historyOf('/v1/assets')} anomalyHistory={historyOf('/v1/anomalies')} filter={fleetFilter} setFilter={setFleetFilter} />}
        {view === 'incidents' && <Incidents store={store} history={historyOf('/v1/anomalies')} filter={incidentFilter} setFilter={setIncidentFilter} paged={incidentPage} setPaged={setIncidentPage} />}
        {view === 'asset' && <AssetView store={store} assetId={decodeURIComponent(arg)} anomalyHistory={historyOf('/v1/anomalies')} key={arg} />}
        {view === 'recommendations' && <Recommendations store={store} history={historyOf('/v1/recommendations')} filter={recommendationFilter} setFilter={setRecommendationFilter} />}
        {view === 'routing' && <Routing store={store} history={historyOf('/v1/routing-decisions')} filter={routingFilter} setFilter={setRoutingFilter} />}
        {view === 'plans' && <Plans store={store} history={historyOf('/v1/plans')} />}
        {view === 'audit' && <Search key="audit" title="Audit" path="/v1/audit" testId="audit" services={AUDIT_SERVICES} detail={auditJson} emptyText="No audit record yet: every decision Maestro makes leaves one." />}
        {view === 'dead-letters' && <DeadLetters key="dead-letters" />}
      </main>
    </SessionContext.Provider>
  );
}

function App() {
  const [token, setToken] = useState(savedToken());
  const [signedOut, setSignedOut] = useState<SignedOut | null>(null);
  const [store, setStore] = useState(() => createEventStore());
  if (!token) return <TokenForm signedOut={signedOut} onToken={(t) => { saveToken(t); setSignedOut(null); setStore(createEventStore()); setToken(t); }} />;
  return <Console store={store} key={token} onSignOut={(why) => { forgetToken(); setSignedOut(why ?? null); setToken(null); }} />;
}

render(<App />, document.getElementById('app')!);
