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
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const nabAt = args.indexOf('--nab');
const nabDir = resolve(nabAt >= 0 ? args[nabAt + 1] : new URL('../../shared/nab', import.meta.url).pathname);
const outputsDir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--nab');
if (!outputsDir) {
  process.stderr.write('usage: node scripts/nab-cross-validate.mjs <outputsDir> [--nab DIR]\n');
  process.exit(2);
}
const { loadCorpus, loadOutputs, sweepThresholds, evaluate } = await import(pathToFileURL(resolve(nabDir, 'score.mjs')).href);

const corpus = loadCorpus(nabDir);
const { scores } = loadOutputs(corpus, outputsDir);
const categories = [...new Set(corpus.files.map((f) => f.category))];
const only = (keep) => new Map([...scores].filter(([rel]) => keep(rel.split('/')[0])));

const result = {};
for (const profile of Object.keys(corpus.profiles)) {
  let heldOutRaw = 0;
  const folds = {};
  for (const category of categories) {
    const trained = sweepThresholds(corpus, only((c) => c !== category), corpus.profiles).find((r) => r.profile === profile);
    const scored = evaluate(corpus, only((c) => c === category), { threshold: trained.threshold })[profile];
    const raw = scored.categories[category].rawScore;
    heldOutRaw += raw;
    folds[category] = { threshold: Number.isFinite(trained.threshold) ? trained.threshold : null, score: scored.categories[category].score };
  }
  const full = evaluate(corpus, scores)[profile];
  const normalised = (100 * (heldOutRaw - full.nullRawScore)) / (full.perfectRawScore - full.nullRawScore);
  result[profile] = { leaveOneCategoryOut: normalised, fullFolderSweep: full.score, folds };
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
