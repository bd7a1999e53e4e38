import type { ValidationError } from './errors';
import { describe, isRecord } from './json-shape';
import type { SignalLimits } from './limits';

/**
 * Checks the `labels` map. Absent labels become `{}` so consumers never branch on it. The result is
 * built with `Object.fromEntries`, which defines own properties: a label named `__proto__` stays an
 * ordinary label instead of replacing the object's prototype.
 */
export function normaliseLabels(
  input: unknown,
  limits: SignalLimits,
  errors: ValidationError[],
): Readonly<Record<string, string>> | undefined {
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) {
    errors.push({ field: 'labels', code: 'invalid_labels', message: `labels must be an object, got ${describe(input)}` });
    return undefined;
  }
  const entries = Object.entries(input);
  if (entries.length > limits.maxLabels) {
    errors.push({ field: 'labels', code: 'too_many_labels', message: `${entries.length} labels, at most ${limits.maxLabels} allowed` });
    return undefined;
  }
  const accepted: [string, string][] = [];
  for (const [key, value] of entries) {
    const field = `labels.${key}`;
    if (key.length === 0) {
      errors.push({ field, code: 'invalid_label', message: 'label key must not be empty' });
    } else if (typeof value !== 'string') {
      errors.push({ field, code: 'invalid_label', message: `label value must be a string, got ${describe(value)}` });
    } else if (key.length > limits.maxLabelKeyLength) {
      errors.push({ field, code: 'label_too_long', message: `label key has ${key.length} characters, at most ${limits.maxLabelKeyLength} allowed` });
    } else if (value.length > limits.maxLabelValueLength) {
      errors.push({ field, code: 'label_too_long', message: `label value has ${value.length} characters, at most ${limits.maxLabelValueLength} allowed` });
    } else {
      accepted.push([key, value]);
    }
  }
  return Object.fromEntries(accepted);
}

/**
 * Checks an optional short attribute (`region`, `provider`) and lower-cases it: providers disagree on
 * case (`AWS`, `aws`) and the router joins on these values.
 */
export function normaliseAttribute(
  field: 'region' | 'provider',
  input: unknown,
  limits: SignalLimits,
  errors: ValidationError[],
): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'string' || input.length === 0 || input.length > limits.maxAttributeLength) {
    errors.push({
      field,
      code: 'invalid_attribute',
      message: `${field} must be a non-empty string of at most ${limits.maxAttributeLength} characters, got ${describe(input)}`,
    });
    return undefined;
  }
  return input.toLowerCase();
}
