/**
 * POST /v1/jobs: submits a job to the router (a JobRequest on `jobs.requests` with the caller's
 * tenant) and answers with the router's decision when the read model has it within the wait
 * (`?waitMs=`, default 3 s), else 202 with `Location: /v1/jobs/{id}` to poll. A job id already
 * known in the caller's tenant is not submitted again: the answer is that job's state, so a retry
 * after a lost answer does not route the job twice.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { JobRequest } from '@maestro/contracts';
import { refuse } from './domain';
import { sendRefusal } from './http-refusals';
import { parseJobSubmission } from './job-submission';
import type { TokenVerifier } from './read-auth';
import type { ReadModelStore } from './read-model-store';
import { jobView, readerOf } from './read-routes';

/** Longest wait a caller may ask for. */
export const MAX_JOB_WAIT_MS = 30_000;
const DEFAULT_JOB_WAIT_MS = 3_000;
const POLL_MS = 100;

export interface JobsRouteDeps {
  readonly store: ReadModelStore;
  readonly tokens: TokenVerifier;
  /** A bounded send of the request. */
  submit(job: JobRequest): Promise<void>;
  isUnavailable(error: unknown): boolean;
  retryAfterS: number;
  now(): number;
}

export function registerJobsRoute(app: FastifyInstance, deps: JobsRouteDeps): void {
  app.post('/v1/jobs', async (request, reply) => {
    const reader = await readerOf(request, reply, deps.tokens);
    if (!reader) return reply;
    const { waitMs: rawWait, ...rest } = request.query as Record<string, string | undefined>;
    const waitMs = rawWait === undefined ? DEFAULT_JOB_WAIT_MS : Number(rawWait);
    if (Object.keys(rest).length > 0 || !Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_JOB_WAIT_MS) {
      return sendRefusal(reply, refuse('invalid_query', [`the only parameter is waitMs, an integer from 0 to ${MAX_JOB_WAIT_MS}`]));
    }
    const parsed = parseJobSubmission(request.body, { tenant: reader.tenant, nowMs: deps.now(), newJobId: randomUUID });
    if (!parsed.ok) return sendRefusal(reply, refuse('schema_violation', parsed.reasons));
    const { job } = parsed;
    const location = `/v1/jobs/${encodeURIComponent(job.jobId)}`;

    let events = await deps.store.job(reader.tenant, job.jobId);
    if (events.length === 0) {
      try {
        await deps.submit(job);
      } catch (error) {
        if (!deps.isUnavailable(error)) throw error;
        return sendRefusal(reply, refuse('unavailable', [`the message bus is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`], { stage: 'dispatch' }), deps.retryAfterS);
      }
    }
    const deadline = deps.now() + waitMs;
    for (;;) {
      const view = jobView(job.jobId, events);
      if (view.decision) return reply.code(200).header('location', location).send(view);
      if (deps.now() >= deadline) {
        return reply.code(202).header('location', location).send({ ...view, submitted: job, poll: location });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      events = await deps.store.job(reader.tenant, job.jobId);
    }
  });
}
