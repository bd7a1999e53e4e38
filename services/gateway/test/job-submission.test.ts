import { describe, expect, it } from 'vitest';
import { parseJobSubmission } from '../src/job-submission';

const context = { tenant: 'acme', nowMs: 42, newJobId: () => 'generated' };

describe('parseJobSubmission', () => {
  it('fills the router\'s defaults and stamps the caller\'s tenant and the time', () => {
    expect(parseJobSubmission({}, context)).toEqual({
      ok: true,
      job: { jobId: 'generated', jobClass: 'default', priority: 0, tenant: 'acme', submittedAtMs: 42, capabilities: [], complianceTags: [], allowedRegions: [], costCeiling: null, latencyObjectiveMs: null },
    });
  });

  it('keeps every field given', () => {
    const body = { jobId: 'j-1', jobClass: 'batch', priority: 5, capabilities: ['gpu'], complianceTags: ['pci'], allowedRegions: ['eu'], costCeiling: 0.4, latencyObjectiveMs: 200 };
    expect(parseJobSubmission(body, context)).toEqual({ ok: true, job: { ...body, tenant: 'acme', submittedAtMs: 42 } });
  });

  it('never takes the tenant from the body', () => {
    expect(parseJobSubmission({ tenant: 'globex' }, context)).toMatchObject({ ok: false, reasons: [expect.stringContaining("unknown field 'tenant'")] });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ jobId: 'has space' }, /jobId must be/],
    [{ jobId: 'x'.repeat(129) }, /jobId must be/],
    [{ jobClass: '' }, /jobClass/],
    [{ priority: 1.5 }, /priority/],
    [{ capabilities: ['ok', 3] }, /capabilities must be an array of non-empty strings/],
    [{ costCeiling: 0 }, /costCeiling must be a positive number/],
    [{ latencyObjectiveMs: -1 }, /latencyObjectiveMs/],
  ])('refuses %j', (body, reason) => {
    const parsed = parseJobSubmission(body, context);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reasons.join('\n')).toMatch(reason);
  });
});
