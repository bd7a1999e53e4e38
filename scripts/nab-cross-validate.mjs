#!/usr/bin/env node
/**
 * Leave-one-category-out NAB score: for each category of the corpus, the threshold is chosen by the
 * scorer's sweep on the other categories only, and the held-out category is scored at it. The
 * held-out raw scores are summed and normalised over the whole corpus, per profile, so the figure
 * reads like NAB's own but no category's score benefits from a threshold tuned on its labels.
 *
 *   node scripts/nab-cross-validate.mjs <outputsDir> [--nab ../shared/nab]
 *
 * <outputsDir> is what `npm run nab -- <dataDir> <outputsDir>` writes.
 *
 * The service's own threshold is a setting of the detector, not only a cut on its scores (its
 * refractory period opens at the configured threshold), so it is cross-validated over runs:
 *
 *   node scripts/nab-cross-validate.mjs --configured <dir> <dir> ... [--nab ../shared/nab]
 *
 * where each <dir> is a `npm run nab -- <dataDir> <dir> --threshold-only --threshold X` run at one
 * configured X (read from <dir>/nab-cli.json). Per held-out category, the X scoring best on the
 * other categories (ties: the higher X) is picked and the held-out category scored with it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const nabAt = args.indexOf('--nab');
const nabDir = resolve(nabAt >= 0 ? args[nabAt + 1] : new URL('../../shared/nab', import.meta.url).pathname);
const positional = args.filter((a, i) => !a.startsWith('--') && !(nabAt >= 0 && i === nabAt + 1));
const configured = args.includes('--configured');
if (positional.length === 0 || (!configured && positional.length !== 1)) {
  process.stderr.write('usage: node scripts/nab-cross-validate.mjs <outputsDir> [--nab DIR]\n' +
    '       node scripts/nab-cross-validate.mjs --configured <runDir>... [--nab DIR]\n');
  process.exit(2);
}
const { loadCorpus, loadOutputs, sweepThresholds, evaluate } = await import(pathToFileURL(resolve(nabDir, 'score.mjs')).href);

const corpus = loadCorpus(nabDir);
const categories = [...new Set(corpus.files.map((f) => f.category))];
const only = (scores, keep) => new Map([...scores].filter(([rel]) => keep(rel.split('/')[0])));
const normalised = (raw, full) => (100 * (raw - full.nullRawScore)) / (full.perfectRawScore - full.nullRawScore);

function bySweep(outputsDir) {
  const { scores } = loadOutputs(corpus, outputsDir);
  const result = {};
  for (const profile of Object.keys(corpus.profiles)) {
    let heldOutRaw = 0;
    const folds = {};
    for (const category of categories) {
      const trained = sweepThresholds(corpus, only(scores, (c) => c !== category), corpus.profiles).find((r) => r.profile === profile);
      const scored = evaluate(corpus, only(scores, (c) => c === category), { threshold: trained.threshold })[profile];
      heldOutRaw += scored.categories[category].rawScore;
      folds[category] = { threshold: Number.isFinite(trained.threshold) ? trained.threshold : null, score: scored.categories[category].score };
    }
    const full = evaluate(corpus, scores)[profile];
    result[profile] = { leaveOneCategoryOut: normalised(heldOutRaw, full), fullFolderSweep: full.score, folds };
  }
  return result;
}

function byConfiguredThreshold(runDirs) {
  // Binary outputs (1 = the service raised an anomaly): scored at 1, i.e. as the service behaves.
  const runs = runDirs.map((dir) => {
    const { threshold } = JSON.parse(readFileSync(join(dir, 'nab-cli.json'), 'utf8'));
    return { threshold, scored: evaluate(corpus, loadOutputs(corpus, dir).scores, { threshold: 1 }) };
  }).sort((a, b) => a.threshold - b.threshold);
  const result = {};
  for (const profile of Object.keys(corpus.profiles)) {
    const rawOf = (run, keep) => categories.filter(keep).reduce((s, c) => s + run.scored[profile].categories[c].rawScore, 0);
    let heldOutRaw = 0;
    const folds = {};
    for (const category of categories) {
      let best = runs[0];
      for (const run of runs) if (rawOf(run, (c) => c !== category) >= rawOf(best, (c) => c !== category)) best = run;
      heldOutRaw += rawOf(best, (c) => c === category);
      folds[category] = { threshold: best.threshold, score: best.scored[profile].categories[category].score };
    }
    const full = runs[0].scored[profile];
    result[profile] = {
      crossValidated: normalised(heldOutRaw, full), folds,
      fullFolderByThreshold: Object.fromEntries(runs.map((r) => [r.threshold, r.scored[profile].score])),
    };
  }
  return result;
}

const result = configured ? byConfiguredThreshold(positional) : bySweep(positional[0]);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
