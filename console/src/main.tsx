/**
 * The Maestro console: asks for an API token once, loads the recent history of every list route,
 * then stays live on GET /v1/events. Views are chosen by the URL's hash (#/fleet, #/asset/<id>, ...).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { forgetToken, getAll, savedToken, saveToken } from './api';
import { ApiError } from './api-error';
import { createEventStore, type EventStore } from './event-store';
import { HISTORY } from './history';
import { connectLive, type LiveState } from './live';
import { useStore } from './use-store';
import { AssetView } from './views/asset';
import { DeadLetters } from './views/dead-letters';
import { Fleet } from './views/fleet';
import { Incidents } from './views/incidents';
import { Plans } from './views/plans';
import { Recommendations } from './views/recommendations';
import { Routing } from './views/routing';
import { ErrorBanner } from './views/error-banner';
import { Search } from './views/search';

const TABS = [['fleet', 'Fleet'], ['incidents', 'Incidents'], ['recommendations', 'Recommendations'], ['routing', 'Routing'], ['plans', 'Plans'], ['audit', 'Audit'], ['dead-letters', 'Dead letters']] as const;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function TokenForm({ error, onToken }: { error: string | null; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  return (
    <form class="token card" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value); }}>
      <h2>Maestro console</h2>
      <p>Paste an API token (<code>npm run maestro -- token add</code>). It is kept in this browser only.</p>
      {error && <p class="error">{error}</p>}
      <input name="token" type="password" autoComplete="off" placeholder="tokenId.secret" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Open</button>
    </form>
  );
}

function Console({ store, onSignOut }: { store: EventStore; onSignOut(error?: string): void }) {
  useStore(store);
  const hash = useHash();
  const [live, setLive] = useState<{ state: LiveState; detail?: string }>({ state: 'connecting' });
  const [loading, setLoading] = useState(true);
  const [historyError, setHistoryError] = useState<{ path: string; error: unknown } | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const stop = connectLive({
      onEvent: (e) => store.add([e]),
      onState: (state, detail) => setLive(detail === undefined ? { state } : { state, detail }),
      onUnauthorized: (error) => onSignOut(error.message),
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
    void Promise.all(HISTORY.map(async ([path, max]) => {
      try {
        store.add(await getAll(path, {}, max, abort.signal));
        return null;
      } catch (error) {
        return { path, error };
      }
    })).then((outcomes) => {
      if (abort.signal.aborted) return;
      setLoading(false);
      const failed = outcomes.find((o) => o !== null);
      if (!failed) return;
      if (failed.error instanceof ApiError && failed.error.status === 401) onSignOut(failed.error.message);
      else setHistoryError(failed);
    });
    return () => abort.abort();
  }, [store, attempt]);
  // A gateway that comes back is noticed by the stream first: the history that failed is asked for again then.
  useEffect(() => {
    if (live.state === 'live' && historyError !== null && !loading) setAttempt((a) => a + 1);
  }, [live.state]);

  const [, view = 'fleet', arg = ''] = /^#\/([^/]*)\/?(.*)$/.exec(hash) ?? [];
  return (
    <div>
      <header>
        <b>Maestro</b>
        <nav>{TABS.map(([id, label]) => <a href={`#/${id}`} class={view === id ? 'active' : ''}>{label}</a>)}</nav>
        <span class={`live ${live.state}`} data-testid="live-state" title={live.detail ?? ''}>{live.state}</span>
        {loading && <span class="muted">loading history…</span>}
        <button class="link" onClick={() => onSignOut()}>forget token</button>
      </header>
      <div class="banners">
        {historyError !== null && <ErrorBanner error={historyError.error} context={`GET ${historyError.path}`} testId="history-error" onRetry={() => setAttempt((a) => a + 1)} />}
        {live.state === 'down' && <div class="banner" role="status" data-testid="live-down"><b>Live updates paused; reconnecting by itself.</b> <span>{live.detail}</span></div>}
      </div>
      <main>
        {view === 'fleet' && <Fleet store={store} loading={loading} />}
        {view === 'incidents' && <Incidents store={store} loading={loading} />}
        {view === 'asset' && <AssetView store={store} assetId={decodeURIComponent(arg)} key={arg} />}
        {view === 'recommendations' && <Recommendations store={store} loading={loading} />}
        {view === 'routing' && <Routing store={store} loading={loading} />}
        {view === 'plans' && <Plans store={store} loading={loading} />}
        {view === 'audit' && <Search key="audit" title="Audit" path="/v1/audit" testId="audit" emptyText="No audit record yet: every decision Maestro makes leaves one." />}
        {view === 'dead-letters' && <DeadLetters key="dead-letters" />}
      </main>
    </div>
  );
}

function App() {
  const [token, setToken] = useState(savedToken());
  const [error, setError] = useState<string | null>(null);
  const [store, setStore] = useState(() => createEventStore());
  if (!token) return <TokenForm error={error} onToken={(t) => { saveToken(t); setError(null); setStore(createEventStore()); setToken(t); }} />;
  return <Console store={store} key={token} onSignOut={(message) => { forgetToken(); setError(message ?? null); setToken(null); }} />;
}

render(<App />, document.getElementById('app')!);
