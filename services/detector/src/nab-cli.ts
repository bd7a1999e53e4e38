/**
 * Offline NAB runner (an edge: it reads and writes files). Runs the pure detector core over every
 * `timestamp,value` CSV under <dataDir>, one fresh state per file and strictly streaming (the score
 * of row i depends on rows <= i only), and writes <outDir>/<sub>/<file>.csv with the header
 * `timestamp,value,anomaly_score`, the layout NAB's scorer reads.
 *
 *   tsx services/detector/src/nab-cli.ts <dataDir> <outDir> [--threshold-only] [--threshold X]
 *
 * --threshold-only writes 1 where the service would raise an anomaly (score >= the threshold) and
 * 0 elsewhere: what the service really does, as opposed to the continuous score a threshold sweep
 * needs. --threshold runs the detector configured with X instead of the default (the refractory
 * period follows the configured threshold, so this is not the same as scoring at X). The run's
 * threshold is written to <outDir>/nab-cli.json, which `nab:loco --configured` reads.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { initialState, resolveDetectorConfig, step } from './domain/index';
import type { ResolvedDetectorConfig } from './domain/index';

/** Every CSV below `dir`, as paths relative to it, sorted for a stable run order. */
function listCsv(dir: string, root: string = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listCsv(path, root));
    else if (name.endsWith('.csv')) out.push(relative(root, path));
  }
  return out;
}

/** NAB timestamps are "YYYY-MM-DD HH:MM:SS" without a zone; read them as UTC so runs are reproducible. */
function parseTimestampMs(text: string): number {
  const iso = text.trim().replace(/^"|"$/g, '').replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

/** Runs one file; returns the output CSV text, or null when it is not a timestamp,value file. */
function runFile(text: string, config: ResolvedDetectorConfig, thresholdOnly: boolean): string | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  if (header[0] !== 'timestamp' || header[1] !== 'value') return null;
  const out = ['timestamp,value,anomaly_score'];
  let state = initialState();
  let index = 0;
  for (const line of lines.slice(1)) {
    const [ts = '', val = ''] = line.split(',');
    // A missing or unparsable timestamp falls back to the row index, so one bad row cannot stop a run.
    const parsed = parseTimestampMs(ts);
    const r = step(state, { timestampMs: Number.isFinite(parsed) ? parsed : index * 1000, value: Number(val) }, config);
    state = r.state;
    const score = thresholdOnly ? (r.verdict.anomaly ? 1 : 0) : r.verdict.score;
    out.push(`${ts},${val},${score}`);
    index++;
  }
  return out.join('\n') + '\n';
}

function main(argv: readonly string[]): number {
  const thresholdAt = argv.indexOf('--threshold');
  const positional = argv.filter((a, i) => !a.startsWith('--') && !(thresholdAt >= 0 && i === thresholdAt + 1));
  const thresholdOnly = argv.includes('--threshold-only');
  const [dataDir, outDir] = positional;
  if (dataDir === undefined || outDir === undefined || positional.length !== 2) {
    process.stderr.write('usage: tsx services/detector/src/nab-cli.ts <dataDir> <outDir> [--threshold-only] [--threshold X]\n');
    return 2;
  }
  if (!statSync(dataDir, { throwIfNoEntry: false })?.isDirectory()) {
    process.stderr.write(`${dataDir}: not a directory (the NAB data: a folder of CSV series)\n`);
    return 2;
  }
  const config = resolveDetectorConfig(thresholdAt >= 0 ? { threshold: Number(argv[thresholdAt + 1]) } : {});
  let files = 0;
  let rows = 0;
  const started = performance.now();
  for (const rel of listCsv(dataDir)) {
    const result = runFile(readFileSync(join(dataDir, rel), 'utf8'), config, thresholdOnly);
    if (result === null) continue;
    const dest = join(outDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, result);
    files++;
    rows += result.split('\n').length - 2;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'nab-cli.json'), `${JSON.stringify({ threshold: config.threshold, thresholdOnly })}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`nab-cli: ${files} files, ${rows} rows in ${seconds.toFixed(2)} s; threshold ${config.threshold}` +
    `${thresholdOnly ? ' (binary output)' : ''} -> ${outDir}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
