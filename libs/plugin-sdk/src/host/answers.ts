/**
 * Answer checks shared by the extension points: plugin answers are checked before a service acts
 * on them, since a plain JavaScript plugin can return anything. Pure.
 */
import type { AnswerCheck } from './containment';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad answer, for the failure reason. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return typeof value;
  }
}

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Reasons of a denial must exist: they are what the audit record says. */
export function nonEmptyReasons(value: unknown): value is string[] {
  return isStringList(value) && value.length > 0 && value.every((r) => r.trim() !== '');
}

export const booleanAnswer: AnswerCheck<boolean> = (answer) =>
  typeof answer === 'boolean' ? { ok: true, value: answer } : { ok: false, problem: `expected true or false, got ${show(answer)}` };
