/** The scale replay harness (scripts/scale-replay): its simulated service and reference policies. Pure, no stack needed. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptimizerConfig } from '../../services/optimizer/src/domain';
import { hpaPolicy, oraclePolicy, staticPolicy } from '../../scripts/scale-replay/policies';
import { replay } from '../../scripts/scale-replay/replay';
import { simulate, type Policy } from '../../scripts/scale-replay/simulate';
import { syntheticTrace } from '../../scripts/scale-replay/synthetic';
import { describeGaps, perSecond, readTrace, TraceError } from '../../scripts/scale-replay/trace';

const opts = { tickS: 10, startupS: 60, capacityRps: 1, startMs: 0 };
/** `npm run -s scale-replay -- <args>`, as a user runs it. */
const replayCommand = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scale-replay/main.ts', ...args], {
  cwd: resolve(import.meta.dirname, '../..'), encoding: 'utf8',
});
const constant = (rps: number, seconds: number) => new Float64Array(seconds).fill(rps);

describe('simulated service', () => {
  it('enough replicas: nothing unserved, every replica billed every second, no change', () => {
    const r = simulate(constant(10, 3600), { name: 'fixed', initialReplicas: 10, decide: () => 10 }, opts);
    expect(r).toMatchObject({ unservedShare: 0, ticksOverloaded: 0, ticks: 360, changes: 0 });
    expect(r.replicaHours).toBeCloseTo(10, 9);
  });

  it('new replicas are billed at once but serve only after the startup delay', () => {
    const grow: Policy = { name: 'grow', initialReplicas: 5, decide: () => 10 };
    const r = simulate(constant(10, 600), grow, opts);
    // 5 replicas short for the first tick and the 60 s startup: 70 s × 5 of 600 s × 10.
    expect(r.unservedShare).toBeCloseTo((70 * 5) / 6000, 9);
    expect(r.ticksOverloaded).toBe(7);
    expect(r.changes).toBe(1);
    expect(r.replicaHours).toBeCloseTo((10 * 5 + 590 * 10) / 3600, 9);
  });

  it('scale-in removes the replicas still starting first', () => {
    let k = 0;
    const wobble: Policy = { name: 'wobble', initialReplicas: 10, decide: () => (++k === 1 ? 15 : 10) };
    const r = simulate(constant(10, 200), wobble, opts);
    expect(r.unservedShare).toBe(0);
    expect(r.changes).toBe(2);
  });
});

describe('reference policies', () => {
  const trace = syntheticTrace('step');
  const demand = trace.demand.subarray(0, 6 * 3600);

  it('the oracle leaves nothing unserved with fewer replica-hours than static at peak', () => {
    const sim = { ...opts, capacityRps: 10 };
    const oracle = simulate(demand, oraclePolicy(demand, 10, 60, 10), sim);
    const fixed = simulate(demand, staticPolicy(demand, 10), sim);
    expect(oracle.unservedShare).toBe(0);
    expect(fixed.unservedShare).toBe(0);
    expect(oracle.replicaHours).toBeLessThan(fixed.replicaHours);
  });

  it('the HPA rule scales out by ceil(serving × utilisation / 0.6) and holds inside its tolerance', () => {
    const hpa = hpaPolicy({ targetUtilisation: 0.6, tolerance: 0.1, scaleDownStabilisationS: 300, minReplicas: 1, maxReplicas: 100 }, 4);
    const at = (saturation: number, second: number) => hpa.decide({ atMs: second * 1000, second, tickS: 10, saturation, servedRps: 0, replicas: 4, readyReplicas: 4 });
    expect(at(0.9, 10)).toBe(6);
    expect(at(0.63, 20)).toBe(4);
    // A dip cannot scale in while the 5-minute window remembers 6.
    expect(at(0.3, 30)).toBe(4);
  });

  it('with targets to run the HPA rule at, replay places the optimiser against its frontier, and the command prints it', () => {
    const r = replay({ ...trace, demand }, { tickS: 30, startupS: 60, hpaTargets: [0.5, 0.55, 0.6, 0.65, 0.7, 0.75] }, resolveOptimizerConfig());
    const optimizer = r.results[0]!;
    const hpa = r.results[1]!;
    expect(r.frontier).toMatchObject({ fromTarget: 0.5, toTarget: 0.75 });
    const same = r.frontier!.atOptimiserHours;
    const match = r.frontier!.toLoseNoMore;
    // A reading is the HPA rule billing what the optimiser bills, or losing no more than it does.
    expect(same).not.toBeNull();
    expect(same!.replicaHours).toBeCloseTo(optimizer.replicaHours, 9);
    expect(same!.setting).toBeGreaterThanOrEqual(0.5);
    expect(same!.setting).toBeLessThanOrEqual(0.75);
    expect(match).not.toBeNull();
    expect(match!.unservedShare).toBeLessThanOrEqual(optimizer.unservedShare + 1e-12);
    // The HPA rule at 0.6 is one of the targets run: the frontier loses no more than it at its own hours.
    const atHpaHours = hpa.replicaHours;
    expect(match!.replicaHours <= atHpaHours || hpa.unservedShare > optimizer.unservedShare).toBe(true);
    // Without targets there is no frontier in the report.
    expect(replay({ ...trace, demand }, { tickS: 30, startupS: 60 }, resolveOptimizerConfig()).frontier).toBeUndefined();

    const text = replayCommand('synthetic:step', '--tick', '60', '--hpa-frontier', '0.55,0.65,0.05');
    expect(text.status, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines.at(-3)).toBe('against the HPA rule at targets 0.55-0.65:');
    expect(lines.at(-2)).toMatch(/^ {2}at the optimiser's [\d.]+ replica-hours (\(target 0\.\d{3}\) it leaves [\d.]+ % unserved with \d+ changes|: outside the targets run)$/);
    expect(lines.at(-1)).toMatch(/^ {2}(it leaves as little unserved as the optimiser at (most )?[\d.]+ replica-hours \(target 0\.\d{3}\)|no target run leaves as little unserved as the optimiser)$/);
    const bad = replayCommand('synthetic:step', '--hpa-frontier', '0.7,0.5,0.01');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--hpa-frontier: expected from,to,step');
  });

  it('replay runs the optimiser through the service path beside the references', () => {
    const r = replay({ ...trace, demand }, { tickS: 30, startupS: 60 }, resolveOptimizerConfig());
    expect(r.results.map((x) => x.policy)).toEqual(['optimizer', 'hpa', 'static', 'oracle']);
    const [optimizer] = r.results;
    expect(optimizer!.changes).toBeGreaterThan(0);
    expect(optimizer!.unservedShare).toBeLessThan(0.05);
  });
});

describe('traces', () => {
  it('a NAB-style CSV: the value column at its median step, interpolated per second', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const path = join(dir, 't.csv');
    writeFileSync(path, 'timestamp,value\n2014-04-10 00:00:00,10\n2014-04-10 00:05:00,20\n2014-04-10 00:10:00,20\n');
    const t = readTrace(path);
    expect(t).toMatchObject({ stepS: 300, startMs: Date.UTC(2014, 3, 10) });
    expect(t.demand).toHaveLength(900);
    expect(t.demand[150]).toBeCloseTo(15, 9);
    expect(t.gaps).toEqual({ stepS: 300, intervals: 2, offStep: 0, shortestS: 300, longestS: 300 });
    expect(describeGaps(t.gaps!)).toBeNull();
  });

  it('a CSV whose timestamps stray from its step is replayed point after point, and the report says how many intervals differ', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const path = join(dir, 'gappy.csv');
    // Steps of 5 minutes, a repeated timestamp, a one-minute interval and a two-day gap.
    writeFileSync(path, ['timestamp,value', '2015-09-01 00:00:00,1', '2015-09-01 00:05:00,2', '2015-09-01 00:05:00,3', '2015-09-01 00:10:00,4',
      '2015-09-01 00:11:00,5', '2015-09-01 00:16:00,6', '2015-09-03 00:16:00,7', '2015-09-03 00:21:00,8'].join('\n'));
    const t = readTrace(path);
    expect(t.stepS).toBe(300);
    // Eight points, 300 s apart: the gap is not replayed as two days of interpolated demand.
    expect(t.demand).toHaveLength(8 * 300);
    expect(t.demand[6 * 300]).toBe(7);
    expect(t.gaps).toEqual({ stepS: 300, intervals: 7, offStep: 3, shortestS: 0, longestS: 172_800 });
    expect(describeGaps(t.gaps!)).toBe('note: 3 of 7 intervals between the timestamps are not the 300 s step (0 s to 2.0 days); the points are replayed as consecutive, 300 s apart');
    // A step given on the command line is the one the intervals are judged against.
    expect(readTrace(path, 60).gaps).toMatchObject({ stepS: 60, offStep: 6 });

    // The command's own report: the note under its heading, and the same figures in --json.
    const text = replayCommand(path, '--tick', '60');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[1]).toBe(describeGaps(t.gaps!));
    const json = replayCommand(path, '--tick', '60', '--json');
    expect(json.status, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { gaps: unknown }).gaps).toEqual(t.gaps);
  });

  it('whitespace-separated numbers are one per second unless told otherwise; a negative rate is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    writeFileSync(join(dir, 'ok.txt'), '1 2\n3\n');
    writeFileSync(join(dir, 'bad.txt'), '1 -2 3');
    expect(Array.from(readTrace(join(dir, 'ok.txt')).demand)).toEqual([1, 2, 3]);
    expect(readTrace(join(dir, 'ok.txt')).gaps).toBeUndefined();
    expect(() => readTrace(join(dir, 'bad.txt'))).toThrow(TraceError);
    expect(Array.from(perSecond([0, 10], 2))).toEqual([0, 5, 10, 10]);
  });

  it('a trace that cannot be read is refused with its path and the reason, and the command exits 2 without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const missing = join(dir, 'missing.txt');
    expect(() => readTrace(missing)).toThrow(new TraceError(`cannot read the trace ${missing}: no such file`));
    expect(() => readTrace(dir)).toThrow(new TraceError(`cannot read the trace ${dir}: it is a directory`));
    const run = replayCommand(missing);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`cannot read the trace ${missing}: no such file`);
  });

  it('a one-column file may have a header; a stray word among the numbers is refused where it stands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    writeFileSync(join(dir, 'header.txt'), 'rps\n1\n2\n');
    writeFileSync(join(dir, 'stray.txt'), '1 2 x 3\n4\n');
    expect(Array.from(readTrace(join(dir, 'header.txt')).demand)).toEqual([1, 2]);
    expect(() => readTrace(join(dir, 'stray.txt'))).toThrow(/value 3 of .*stray\.txt is not a rate >= 0/);
  });
});
