/**
 * The Maestro console: asks for an API token once, loads the recent history of every list route,
 * then stays live on GET /v1/events. Views are chosen by the URL's hash (#/fleet, #/asset/<id>, ...).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { ApiError, forgetToken, getAll, savedToken, saveToken } from './api';
import { createEventStore, type EventStore } from './event-store';
import { connectLive, type LiveState } from './live';
import { useStore } from './use-store';
import { AssetView } from './views/asset';
import { Fleet } from './views/fleet';
import { Incidents } from './views/incidents';
import { Plans } from './views/plans';
import { Recommendations } from './views/recommendations';
import { Routing } from './views/routing';
import { Search } from './views/search';

/** History loaded at start, per route; the live stream adds to it. */
const HISTORY: readonly [string, number][] = [
  ['/v1/assets', 10_000],
  ['/v1/anomalies', 2_000],
  ['/v1/actions', 2_000],
  ['/v1/recommendations', 1_000],
  ['/v1/routing-decisions', 500],
  ['/v1/plans', 500],
  ['/v1/audit', 2_000],
];

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
  useEffect(() => {
    // The stream first, then the history: an event that lands between the two is in one or the other, and the store drops the copy.
    const stop = connectLive({ onEvent: (e) => store.add([e]), onState: (state, detail) => setLive(detail === undefined ? { state } : { state, detail }) });
    void Promise.all(HISTORY.map(async ([path, max]) => store.add(await getAll(path, {}, max))))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) onSignOut(error.message);
      })
      .finally(() => setLoading(false));
    return stop;
  }, [store]);

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
      <main>
        {view === 'fleet' && <Fleet store={store} />}
        {view === 'incidents' && <Incidents store={store} />}
        {view === 'asset' && <AssetView store={store} assetId={decodeURIComponent(arg)} key={arg} />}
        {view === 'recommendations' && <Recommendations store={store} />}
        {view === 'routing' && <Routing store={store} />}
        {view === 'plans' && <Plans store={store} />}
        {view === 'audit' && <Search key="audit" title="Audit" path="/v1/audit" testId="audit" />}
        {view === 'dead-letters' && <Search key="dead-letters" title="Dead letters" path="/v1/dead-letters" testId="dead-letters" />}
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
