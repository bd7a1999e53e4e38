import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@maestro/runtime';
import { optimizerConfigSpec, toOptimizerConfig } from '../../services/optimizer/src/service-config';
import { StdioSession, parseSampleLine } from '../optimizer-stdio/session';
import { defaultCapacity } from '../scale-replay/replay';
import { optimizerPolicy, telemetryOf } from '../scale-replay/policies';
import { simulate, type Observation } from '../scale-replay/simulate';
import { syntheticTrace } from '../scale-replay/synthetic';

const root = join(import.meta.dirname, '../..');
// The adapter's configuration with no OPTIMIZER_* variable set: the service's defaults.
const config = toOptimizerConfig(loadConfig(optimizerConfigSpec, {}));
const adapterEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPTIMIZER_')));

/**
 * A closed-loop replay of the step shape with the optimiser in process: every tick's telemetry line
 * (as the replay's service reports it) and the count the optimiser ran after it.
 */
function recordedLoop(tickS: number): { lines: Record<string, unknown>[]; counts: number[] } {
  const { demand } = syntheticTrace('step');
  const inProcess = optimizerPolicy(config, 2);
  const lines: Record<string, unknown>[] = [];
  const counts: number[] = [];
  simulate(demand, {
    name: 'recorded', initialReplicas: 2,
    decide(o: Observation) {
      lines.push({ ...telemetryOf(o, 'svc') });
      const n = inProcess.decide(o);
      counts.push(n);
      return n;
    },
  }, { tickS, startupS: 60, capacityRps: defaultCapacity(demand), startMs: Date.UTC(2026, 0, 1) });
  return { lines, counts };
}

const answersOf = (session: StdioSession, lines: readonly string[]) => lines.map((l, i) => session.answer(l, i + 1));
const withoutLabel = (line: Record<string, unknown>, label: string) => {
  const { [label]: _dropped, ...labels } = line['labels'] as Record<string, string>;
  return { ...line, labels };
};

describe('optimizer-stdio: the optimiser core behind a line protocol', () => {
  const loop = recordedLoop(30);

  it('answers each tick of a closed loop with the count the optimiser runs in process', () => {
    const answers = answersOf(new StdioSession(config), loop.lines.map((l) => JSON.stringify(l)));
    expect(answers).toHaveLength(loop.counts.length);
    expect(answers.map((a) => a?.['replicas'])).toEqual(loop.counts);
    // The loop did scale both ways, so the comparison covers every action.
    const actions = new Set(answers.map((a) => a?.['action']));
    expect(actions).toContain('scale_out');
    expect(actions).toContain('scale_in');
    expect(answers.every((a) => a?.['assetId'] === 'svc' && typeof a['rationale'] === 'string')).toBe(true);
  });

  it('without a replicas label an asset runs the count last answered: a simulator that applies every answer gets the same loop', () => {
    // The replay applies every count at once, so the count running at a tick is the last answer.
    const lines = loop.lines.map((l, i) => JSON.stringify(i === 0 ? l : withoutLabel(l, 'replicas')));
    expect(answersOf(new StdioSession(config), lines).map((a) => a?.['replicas'])).toEqual(loop.counts);
  });

  it('takes the gateway unit aliases and labels written as JSON numbers', () => {
    const lines = loop.lines.map((l) => {
      const { saturation } = l['metrics'] as { saturation: number };
      const labels = l['labels'] as Record<string, string>;
      return JSON.stringify({
        ...l, metrics: { saturation_percent: saturation * 100, throughput_rpm: (l['metrics'] as { throughput_rps: number }).throughput_rps * 60 },
        labels: { replicas: Number(labels['replicas']), ready_replicas: Number(labels['ready_replicas']) },
      });
    });
    expect(answersOf(new StdioSession(config), lines).map((a) => a?.['replicas'])).toEqual(loop.counts);
  });

  it('refuses a line that is not a sample, says why in the vocabulary\'s terms, and keeps the state', () => {
    const session = new StdioSession(config);
    const first = JSON.stringify(loop.lines[0]);
    expect(session.answer(first, 1)).toMatchObject({ replicas: loop.counts[0] });
    const bad = [
      ['{"timestampMs":', 'INVALID_JSON', undefined],
      ['[1,2]', 'INVALID_SAMPLE', undefined],
      [JSON.stringify({ ...loop.lines[1], metrics: { saturation: 1.5 } }), 'INVALID_SAMPLE', 'metric_out_of_range'],
      [JSON.stringify({ ...loop.lines[1], metrics: { utilization: 0.5 } }), 'INVALID_SAMPLE', 'unknown_metric'],
      [JSON.stringify({ ...loop.lines[1], timestampMs: '30000' }), 'INVALID_SAMPLE', 'invalid_timestamp'],
      [JSON.stringify({ ...loop.lines[1], labels: { replicas: 'four' } }), 'INVALID_SAMPLE', undefined],
      [JSON.stringify({ ...loop.lines[1], labels: { replicas: true } }), 'INVALID_SAMPLE', 'invalid_label'],
    ] as const;
    bad.forEach(([line, code, problem], i) => {
      const answer = session.answer(line, i + 2) as { error: { code: string; reason: string; problems?: { code: string }[] }; line: number };
      expect(answer.line).toBe(i + 2);
      expect(answer.error.code).toBe(code);
      expect(answer.error.reason.length).toBeGreaterThan(0);
      if (problem !== undefined) expect(answer.error.problems?.map((p) => p.code)).toContain(problem);
    });
    // Nothing refused reached the state: the rest of the loop answers as if the bad lines were never sent.
    const rest = loop.lines.slice(1).map((l, i) => session.answer(JSON.stringify(l), i + 20)?.['replicas']);
    expect(rest).toEqual(loop.counts.slice(1));
  });

  it('skips a sample without a load metric and one not newer than the last, and answers nothing to a blank line', () => {
    const session = new StdioSession(config);
    expect(session.answer('   ', 1)).toBeNull();
    expect(session.answer(JSON.stringify({ ...loop.lines[0], metrics: { latency_ms: 12 } }), 2)).toEqual({ assetId: 'svc', skipped: 'no saturation or cpu metric' });
    expect(session.answer(JSON.stringify(loop.lines[1]), 3)).toMatchObject({ assetId: 'svc', replicas: expect.any(Number) });
    expect(session.answer(JSON.stringify(loop.lines[1]), 4)).toEqual({ assetId: 'svc', skipped: 'not newer than the last sample' });
  });

  it('keeps assets apart, and a line without assetId belongs to one asset of its own', () => {
    const parsed = parseSampleLine(JSON.stringify({ timestampMs: 1_000, metrics: { cpu: 0.3 } }));
    expect(parsed).toMatchObject({ sample: { assetId: 'stdio', labels: {}, tenant: null, region: null } });
    const session = new StdioSession(config);
    const a = session.answer(JSON.stringify({ assetId: 'a', timestampMs: 1_000, metrics: { cpu: 0.9 }, labels: { replicas: '4' } }), 1);
    const b = session.answer(JSON.stringify({ assetId: 'b', timestampMs: 1_000, metrics: { cpu: 0.1 }, labels: { replicas: '4' } }), 2);
    expect(a?.['replicas']).toBeGreaterThan(4);
    expect(b?.['replicas']).toBeLessThanOrEqual(4);
    // Each asset's own last answer stands in for its missing replicas label.
    expect(parseSampleLine(JSON.stringify({ assetId: 'a', timestampMs: 2_000, metrics: { cpu: 0.5 } }), new Map([['a', 7], ['b', 3]])))
      .toMatchObject({ sample: { labels: { replicas: '7' } } });
    // A simulator that serves more than it was last told to is believed: running is at least serving.
    expect(parseSampleLine(JSON.stringify({ assetId: 'b', timestampMs: 2_000, metrics: { cpu: 0.5 }, labels: { ready_replicas: 5 } }), new Map([['b', 3]])))
      .toMatchObject({ sample: { labels: { replicas: '5', ready_replicas: '5' } } });
  });

  it('as a process, answers each line as it comes: a driver that waits for every answer before its next line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/optimizer-stdio/main.ts'], { cwd: root, env: adapterEnv, stdio: ['pipe', 'pipe', 'inherit'] });
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const counts: unknown[] = [];
    // Two hours of the loop, one line at a time: the answer must come while the input stays open.
    for (const line of loop.lines.slice(0, 240)) {
      child.stdin.write(`${JSON.stringify(line)}\n`);
      const next = await answers.next();
      expect(next.done).toBe(false);
      counts.push((JSON.parse(next.value as string) as { replicas: number }).replicas);
    }
    child.stdin.end();
    expect(await answers.next()).toMatchObject({ done: true });
    expect(counts).toEqual(loop.counts.slice(0, 240));
  }, 60_000);

  it('as a process: one line out per line in, in order, the same answers as in process', () => {
    const lines = loop.lines.map((l) => JSON.stringify(l));
    const input = [lines[0], '', 'not json', ...lines.slice(1)].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/optimizer-stdio/main.ts'], { cwd: root, input, env: adapterEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(lines.length + 1);
    expect(out[1]).toMatchObject({ error: { code: 'INVALID_JSON' }, line: 3 });
    const answers = [out[0], ...out.slice(2)];
    expect(answers.map((a) => a!['replicas'])).toEqual(loop.counts);
    // Whole records, not only the counts: what the process writes is what the session answers.
    expect(answers).toEqual(answersOf(new StdioSession(config), lines).map((a) => JSON.parse(JSON.stringify(a)) as unknown));
  });
});
