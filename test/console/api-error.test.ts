import { describe, expect, it } from 'vitest';
import { ApiError, explain, refusalOf, unreachable } from '../../console/src/api-error';

describe('what the console makes of a failed call', () => {
  it('reads the gateway\'s refusal shape', () => {
    const error = refusalOf(401, 'Unauthorized', { refused: { stage: 'authenticate', code: 'invalid_credential', reasons: ['unknown token id'] } });
    expect(error).toMatchObject({ status: 401, code: 'invalid_credential', reasons: ['unknown token id'] });
  });

  it.each([
    ['an HTML error page', '<html>Bad Gateway</html>'],
    ['no body', null],
    ['JSON of another shape', { error: 'nope' }],
  ])('says a non-refusal answer (%s) came from something other than the gateway', (_name, body) => {
    const error = refusalOf(502, 'Bad Gateway', body);
    expect(error).toMatchObject({ status: 502, code: 'http_error' });
    expect(error.reasons[0]).toContain('not a refusal of the gateway');
  });

  it.each([
    ['no answer', unreachable('http://localhost:8080', new TypeError('Failed to fetch')), 'The gateway is unreachable', ['http://localhost:8080', 'npm start']],
    ['401', new ApiError(401, 'invalid_credential', ['unknown token id']), 'The token was refused (invalid_credential)', ['unknown token id', 'token add']],
    ['403', new ApiError(403, 'http_error', ['403 Forbidden, not a refusal of the gateway (a proxy?)']), 'Forbidden (http_error)', ['a proxy?', 'tenant']],
    ['500', new ApiError(500, 'internal', ['incident 7f3a']), 'The gateway failed: 500 internal', ['incident 7f3a', 'gateway.log']],
    ['503', new ApiError(503, 'unavailable', ['the gateway is shutting down']), 'The gateway failed: 503 unavailable', ['shutting down']],
    ['400', new ApiError(400, 'invalid_query', ["'from' is not a time"]), 'The gateway refused: 400 invalid_query', ["'from' is not a time"]],
    ['a bug of the console', new TypeError('x is undefined'), 'The console failed: x is undefined', ['Reload']],
  ])('explains %s with what to do about it', (_name, error, title, hints) => {
    const explained = explain(error);
    expect(explained.title).toBe(title);
    for (const hint of hints) expect(explained.hint).toContain(hint);
  });
});
