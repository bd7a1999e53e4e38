/**
 * How quantities read in the healer's reasons. Reasons are for people (the console's incident
 * page, the audit log, the demo's event lines); the exact values stay in the records' own fields
 * (`severity`, `expectedRecovery`, `startedAtMs`, `remainingMs`), so the text may round.
 */

/**
 * A severity in [0, 1], cut (not rounded) to three decimals: a ladder band or a strategy's bound
 * written with up to three decimals compares the same way with the text as with the value, so a
 * severity of 0.7996 is never shown as "0.8" beside a band "≥ 0.8" it did not reach.
 */
export function severityText(severity: number): string {
  // Twelve digits drop only the product's float error (0.57 × 1000 = 569.9999999999999), which
  // would otherwise cut 0.57 to 0.569.
  return String(Math.floor(Number((severity * 1000).toPrecision(12))) / 1000);
}

/** A metric value or threshold with four significant digits: 51.10162100872036 reads "51.1". */
export function valueText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/**
 * A length of time as people say it: "850 ms", "42 s", "4 min 57 s", "3 min", "2 h 5 min". Whole
 * seconds from one second up, whole minutes from one hour up.
 */
export function durationText(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1_000) return `${whole} ms`;
  const s = Math.round(whole / 1_000);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** An instant as ISO 8601 in UTC, the form the console and the audit log show times in. */
export function instantText(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
