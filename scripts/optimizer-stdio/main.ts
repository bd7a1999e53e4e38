/**
 * npm run -s optimizer-stdio: the optimiser core as a closed-loop filter, so any outside simulator
 * can drive it. Each stdin line is one telemetry sample as JSON, the `telemetry.samples` record
 * (assetId, timestampMs, metrics, labels; assetId, region, provider, tenant and labels may be left
 * out), judged by the gateway's rules (session.ts). Each gets exactly one stdout line, in order:
 *
 *   {"assetId":…,"action":…,"targetReplicas":…,…,"replicas":N,"published":bool}  the recommendation
 *        record the service would publish for that sample, plus `replicas` (the count to run, for
 *        every action) and `published` (whether the service would publish it: it changed)
 *   {"assetId":…,"skipped":"reason"}        a sample with no load metric, or not newer than the last
 *   {"error":{"code":…,"reason":…,"problems":[…]},"line":n}  a line that is not a usable sample; the
 *        state is unchanged
 *
 * A blank line gets no answer. The core and its configuration are the service's: the same
 * OPTIMIZER_* variables, the same defaults. State is kept per asset in memory for the life of the
 * process.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '@maestro/runtime';
import { optimizerConfigSpec, toOptimizerConfig } from '../../services/optimizer/src/service-config';
import { StdioSession } from './session';

const session = new StdioSession(toOptimizerConfig(loadConfig(optimizerConfigSpec, process.env)));
let lineNo = 0;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  const answer = session.answer(line, lineNo);
  if (answer !== null) process.stdout.write(`${JSON.stringify(answer)}\n`);
}
