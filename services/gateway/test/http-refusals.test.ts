import { describe, expect, it } from 'vitest';
import type { FastifyError } from 'fastify';
import { refusalOfRequestError, RefusalError } from '../src/http-refusals';
import { refuse } from '../src/domain';

const fastifyError = (code: string, statusCode: number | undefined, message = 'boom'): FastifyError => Object.assign(new Error(message), { code, statusCode }) as FastifyError;
const limits = { maxBodyBytes: 1_024 };

describe('refusalOfRequestError: what Fastify raised before a handler answered, in the catalog\'s terms', () => {
  it.each([
    { name: 'a body over the limit', error: fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), code: 'payload_too_large', incident: false },
    { name: 'a content type without a parser', error: fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), code: 'unsupported_media_type', incident: false },
    { name: 'an empty JSON body', error: fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400), code: 'malformed_json', incident: false },
    { name: 'a broken Content-Length', error: fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400), code: 'malformed_json', incident: false },
    { name: 'a path Fastify cannot decode', error: fastifyError('FST_ERR_BAD_URL', 400, "'/v1/assets/%E0%A4%A' is not a valid url component"), code: 'malformed_url', incident: false },
    { name: 'a route schema\'s validation', error: fastifyError('FST_ERR_VALIDATION', 400, 'querystring/limit must be integer'), code: 'schema_violation', incident: false },
    { name: 'a refusal the JSON parser made', error: new RefusalError(refuse('nesting_too_deep', ['deep'])), code: 'nesting_too_deep', incident: false },
    { name: 'anything else (a bug)', error: new TypeError('x is undefined'), code: 'internal', incident: true },
  ])('$name → $code', ({ error, code, incident }) => {
    const mapped = refusalOfRequestError(error, limits);
    expect(mapped.refusal.refused.code).toBe(code);
    expect(mapped.incident !== undefined).toBe(incident);
    if (incident) expect(mapped.refusal.refused.reasons).toEqual([`incident ${mapped.incident}`]);
  });
});
