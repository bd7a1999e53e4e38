/**
 * Plugin optimisation signals (MAESTRO_PLUGINS) enter the optimiser through the channel custom
 * signals already use, a `signal.<name>` label of the sample (`sample-mapping.ts`), so the core and
 * the mapping see them exactly as they see an asset's own. Names are `<plugin>/<signal>`, so the
 * recommendation's evidence and its audit record name the plugin. Pure.
 */
import type { TelemetrySample } from '@maestro/contracts';
import type { MeasuredSignal } from '@maestro/plugin-sdk/host';
import { SIGNAL_LABEL_PREFIX } from './sample-mapping';

/** The sample with the plugin signals added as labels; the sample itself when there are none. */
export function withPluginSignals(sample: TelemetrySample, signals: readonly MeasuredSignal[] | undefined): TelemetrySample {
  if (signals === undefined || signals.length === 0) return sample;
  const labels = { ...sample.labels };
  // String(number) reads back as the same number, so nothing is lost on the way through the label.
  for (const s of signals) labels[`${SIGNAL_LABEL_PREFIX}${s.name}`] = `${String(s.value)}/${String(s.target)}@${String(s.weight)}`;
  return { ...sample, labels };
}
