import { describe, expect, it } from 'vitest';
import { TELEMETRY_ERROR_CODES, TELEMETRY_ERROR_CODE_LIST } from '../src/index';

describe('error catalog', () => {
  it.each(TELEMETRY_ERROR_CODE_LIST)('%s is documented and not retryable', (code) => {
    const entry = TELEMETRY_ERROR_CODES[code];
    expect(entry.description.length).toBeGreaterThan(10);
    // Validation is a pure function of the record: retrying the same record cannot succeed.
    expect(entry.retryable).toBe(false);
  });

  it('codes are snake_case so they can be metric labels and HTTP error codes as is', () => {
    for (const code of TELEMETRY_ERROR_CODE_LIST) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
