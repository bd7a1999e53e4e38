import { describe, expect, it } from 'vitest';
import { readableAudit } from '../../console/src/audit-record';

describe('readableAudit', () => {
  it('shows detailsJson parsed, as details, in its place among the fields', () => {
    const record = { auditId: 'a1', service: 'healer', detailsJson: '{"step":0,"params":{"assetId":"checkout-1"}}', atMs: 5 };
    const shown = readableAudit(record);
    expect(shown).toEqual({ auditId: 'a1', service: 'healer', details: { step: 0, params: { assetId: 'checkout-1' } }, atMs: 5 });
    expect(Object.keys(shown)).toEqual(['auditId', 'service', 'details', 'atMs']);
    expect(record.detailsJson).toBe('{"step":0,"params":{"assetId":"checkout-1"}}');
  });

  it('shows empty details as null, and text that is not JSON as written', () => {
    expect(readableAudit({ auditId: 'a2', detailsJson: '' })).toEqual({ auditId: 'a2', details: null });
    expect(readableAudit({ auditId: 'a3', detailsJson: '{not json' })).toEqual({ auditId: 'a3', detailsJson: '{not json' });
    expect(readableAudit({ auditId: 'a4' })).toEqual({ auditId: 'a4' });
  });
});
