/**
 * An asset's page: its lifecycle and labels, a chart per metric from its recent values with the
 * anomalies marked, its latest recommendation with the load forecast it covers, and its incidents.
 * Values come from GET /v1/assets/{id} (samples are not on the live stream), fetched again when the
 * asset's events move.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson } from '../api';
import { UNKNOWN_HEALTH, type EventStore } from '../event-store';
import { list, num, text, time, type ProjectedEvent } from '../event';
import { forecastOf, forecastSentence } from '../forecast';
import type { ListHistory } from '../history';
import { Empty } from './empty';
import { ErrorBanner } from './error-banner';
import { Incident } from './incidents';
import { MetricChart } from './metric-chart';

interface AssetPage {
  readonly asset: ProjectedEvent | null;
  readonly recommendation: ProjectedEvent | null;
  readonly samples: { timestampMs: number; metrics: Record<string, number> }[];
}

/** An asset's labels, capabilities and compliance tags: each a pill, cut short with the whole of it on hover. */
function AssetTags({ asset }: { asset: ProjectedEvent }) {
  const labels = Object.entries((asset.record.labels ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  const capabilities = list(asset, 'capabilities');
  const compliance = list(asset, 'complianceTags');
  const pills = (values: string[]) => values.map((v) => <span class="pill tag-pill" title={v}>{v}</span>);
  return (
    <div class="tags" data-testid="asset-tags">
      <div><span class="muted">labels</span> {labels.length ? pills(labels.map(([k, v]) => `${k}=${v}`)) : <span class="muted">none</span>}</div>
      {capabilities.length > 0 && <div><span class="muted">capabilities</span> {pills(capabilities)}</div>}
      {compliance.length > 0 && <div><span class="muted">compliance</span> {pills(compliance)}</div>}
    </div>
  );
}

/** `anomalyHistory` is the console's GET /v1/anomalies: when it failed, the page does not say the asset has no anomaly. */
export function AssetView({ store, assetId, anomalyHistory }: { store: EventStore; assetId: string; anomalyHistory: ListHistory }) {
  const [page, setPage] = useState<AssetPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const anomalies = store.anomaliesOf(assetId);
  const asset = store.assets().get(assetId) ?? page?.asset ?? null;
  useEffect(() => {
    let stop = false;
    const load = () => getJson<AssetPage>(`/v1/assets/${encodeURIComponent(assetId)}`).then((p) => {
      if (stop) return;
      setPage(p);
      setError(null);
    }, (e: unknown) => !stop && setError(e));
    void load();
    const timer = setInterval(() => void load(), 5_000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [assetId, anomalies.length, attempt]);
  // Its values and recommendation come only from GET /v1/assets/{id}: until it has answered once, the page has none to speak of.
  const pageHistory: ListHistory = { state: page !== null ? 'loaded' : error !== null ? 'failed' : 'loading', retry: () => setAttempt((a) => a + 1) };

  const series = useMemo(() => {
    const samples = [...(page?.samples ?? [])].sort((a, b) => a.timestampMs - b.timestampMs);
    const metrics = [...new Set(samples.flatMap((s) => Object.keys(s.metrics)))].sort();
    return metrics.map((metric) => ({
      metric,
      times: samples.map((s) => s.timestampMs),
      values: samples.map((s) => s.metrics[metric] ?? null),
      markers: anomalies.filter((a) => text(a, 'metric') === metric).map((a) => num(a, 'sampleTimestampMs')),
    }));
  }, [page, anomalies.length]);

  const recommendation = page?.recommendation ?? null;
  const forecast = recommendation === null ? null : forecastOf(recommendation);
  const health = store.health(assetId, Date.now());
  return (
    <section>
      <h2 data-testid="asset-title">{assetId} <span class={`pill ${health}`} data-testid="asset-health" title={health === 'unknown' ? UNKNOWN_HEALTH : ''}>{health}</span></h2>
      {error !== null && <ErrorBanner error={error} testId="asset-error" />}
      {asset && <p class="muted">{text(asset, 'kind')} · {text(asset, 'region') || 'no region'} · {text(asset, 'provider') || 'no provider'} · {text(asset, 'change')} {time(asset.atMs)}</p>}
      {asset && <AssetTags asset={asset} />}
      {recommendation && <p>Recommendation: <b>{recommendation.summary}</b> — {text(recommendation, 'rationale')}</p>}
      {forecast && <p class="muted" data-testid="asset-forecast">Forecast: {forecastSentence(forecast)}.</p>}
      <div class="charts">{series.map((s) => <MetricChart {...s} key={s.metric} />)}</div>
      {series.length === 0 && <Empty history={pageHistory}>No recent metric values.</Empty>}
      <h3>Incidents</h3>
      {[...anomalies].reverse().slice(0, 20).map((a) => <Incident store={store} anomaly={a} key={a.id} />)}
      {anomalies.length === 0 && <Empty history={anomalyHistory}>No anomaly on this asset.</Empty>}
    </section>
  );
}
