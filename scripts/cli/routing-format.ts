/**
 * A routing decision as `job submit` prints it: the outcome, the chosen asset and its score
 * breakdown, the runner-up, fallbacks, and every rejected candidate with its reasons. Pure.
 */
import type { RoutingDecision } from '@maestro/contracts';

const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(3));

export function formatRoutingDecision(d: RoutingDecision): string[] {
  const lines = [`job ${d.jobId} (${d.jobClass}): ${d.outcome}${d.assetId ? ` → ${d.assetId}` : ''}${d.score === null ? '' : ` score ${num(d.score)}`}${d.margin === null ? '' : ` margin ${num(d.margin)}`}`];
  if (d.reasoning) lines.push(`  reasoning: ${d.reasoning}`);
  if (d.refusalCause) lines.push(`  refused: ${d.refusalCause}`);
  lines.push(`  candidates: ${d.candidateCount}, eligible: ${d.eligibleCount}`);
  const breakdown = Object.entries(d.breakdown);
  if (d.assetId && breakdown.length > 0) {
    lines.push(`  ${d.assetId} score by term:`);
    for (const [term, value] of breakdown) lines.push(`    ${term.padEnd(16)} ${num(value)}`);
  }
  if (d.runnerUpAssetId) lines.push(`  runner-up: ${d.runnerUpAssetId}${d.runnerUpScore === null ? '' : ` score ${num(d.runnerUpScore)}`}`);
  if (d.fallbacks.length > 0) lines.push(`  fallbacks: ${d.fallbacks.join(', ')}`);
  if (d.rejections.length > 0) {
    lines.push('  rejected:');
    const width = Math.max(...d.rejections.map((r) => r.assetId.length));
    for (const r of d.rejections) lines.push(`    ${r.assetId.padEnd(width)}  ${r.reasons.join('; ')}`);
  }
  if (d.rejectionsOmitted > 0) lines.push(`    … and ${d.rejectionsOmitted} more (${Object.entries(d.rejectionCounts).map(([why, n]) => `${why}: ${n}`).join(', ')})`);
  return lines;
}
