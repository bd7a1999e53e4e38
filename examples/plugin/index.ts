/**
 * An example Maestro plugin, loaded by naming this file in MAESTRO_PLUGINS
 * (`MAESTRO_PLUGINS=./examples/plugin/index.ts npm start`; docs/plugins.md walks through it).
 * One module extends several services; each takes its part and ignores the rest:
 *
 * - healer: a policy hook that never lets automation touch an asset labelled `frozen=true`, and a
 *   `drain` strategy tried first on latency spikes (take the asset out of its load balancer);
 * - executor: a `file-log` runner type that carries actions out by appending them to a file, the
 *   smallest runner that shows the contract (a real one would call Kubernetes or a cloud API);
 * - router: a policy hook keeping jobs off assets holding the compliance tag `frozen`;
 * - gateway: a policy hook refusing protocol calls from the tenants in EXAMPLE_READONLY_TENANTS;
 * - optimizer: a `backlog` signal, queue depth per replica against a target of 20 per replica.
 *
 * Everything the hooks need is read once here, at load: hooks answer synchronously from their
 * arguments, so a decision can be replayed from its audit record.
 */
import { appendFile } from 'node:fs/promises';
import { definePlugin, defineRunner } from '@maestro/plugin-sdk';

const FROZEN_LABEL = 'frozen';
const readonlyTenants = new Set((process.env.EXAMPLE_READONLY_TENANTS ?? '').split(',').map((t) => t.trim()).filter(Boolean));

/** Carries an action out by appending it, as one JSON line, to the file its settings name. */
const fileLogRunner = defineRunner({
  type: 'file-log',
  timeoutMs: 5_000,
  configure(settings) {
    if (typeof settings.path !== 'string' || settings.path === '') throw new Error('path must name the file to append actions to');
    return { path: settings.path };
  },
  async run(request, { settings, runnerName }) {
    const line = JSON.stringify({ actionId: request.actionId, assetId: request.assetId, strategy: request.strategy, params: request.params, runner: runnerName });
    await appendFile(settings.path, `${line}\n`);
    return { status: 'succeeded', detail: `${request.strategy} for ${request.assetId} logged to ${settings.path}` };
  },
});

export default definePlugin({
  name: 'example',
  version: '1.0.0',
  strategies: [{
    name: 'drain',
    ladders: { spike: 'first' },
    appliesTo: (kind, severity) => kind === 'spike' && severity >= 0.3,
    plan: ({ anomaly }) => ({
      strategy: 'drain',
      params: { assetId: anomaly.assetId, drainSeconds: 60 },
      // Draining takes the asset out of rotation: its latency should be back near baseline within two minutes.
      expectedRecovery: {
        metric: anomaly.metric,
        withinMs: 120_000,
        condition: { op: 'at_most', threshold: anomaly.evidence.baselineMean + 2 * anomaly.evidence.baselineStd, sustainedSamples: 3 },
      },
    }),
  }],
  policyHooks: {
    healer: [{
      name: 'frozen-assets',
      evaluate: ({ asset, proposal }) => (asset.labels[FROZEN_LABEL] === 'true'
        ? { verdict: 'deny', reasons: [`asset ${asset.assetId} is labelled ${FROZEN_LABEL}=true: no automatic ${proposal.strategy}`] }
        : { verdict: 'allow' }),
    }],
    router: [{
      name: 'frozen-assets',
      evaluate: ({ candidate }) => (candidate.complianceTags.includes(FROZEN_LABEL)
        ? { verdict: 'deny', reasons: [`asset ${candidate.assetId} is tagged ${FROZEN_LABEL}`] }
        : { verdict: 'allow', reasons: [] }),
    }],
    gateway: [{
      name: 'readonly-tenants',
      evaluate: ({ principal, operation }) => (readonlyTenants.has(principal.tenant)
        ? { allow: false, reasons: [`tenant ${principal.tenant} is read-only here: ${operation.name} is refused`] }
        : { allow: true }),
    }],
  },
  runners: [fileLogRunner],
  optimisationSignals: [{
    name: 'backlog',
    measure: ({ metrics, labels }) => {
      if (metrics.queue_depth === undefined) return null;
      const replicas = Math.max(1, Number(labels.replicas ?? '1') || 1);
      return { value: metrics.queue_depth / replicas, target: 20, weight: 1 };
    },
  }],
});
