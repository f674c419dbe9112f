import { describe, expect, it } from 'vitest';
import { classifyAnswer, classifyFailure, retryAfterMs } from './classify';

describe('classifyAnswer', () => {
  it('keeps the id of an accepted send, also one queued before auth', () => {
    expect(
      classifyAnswer(
        200,
        { sent: true, message: 'Sent to 79995253422@c.us', id: 'true_1@c.us_A', queueNumber: 2 },
        null,
      ),
    ).toEqual({
      kind: 'accepted',
      providerMessageId: 'true_1@c.us_A',
    });
    expect(
      classifyAnswer(
        200,
        { sent: true, message: 'Status of the account not equals authenticated.', id: 'gBGHVRmZ' },
        null,
      ),
    ).toMatchObject({
      kind: 'accepted',
    });
  });

  it('treats sent:false and 4xx as permanent refusals', () => {
    expect(classifyAnswer(200, { sent: false, message: 'Phone is not valid' }, null)).toEqual({
      kind: 'refused',
      reason: 'Phone is not valid',
    });
    expect(classifyAnswer(400, { error: 'bad template' }, null)).toEqual({
      kind: 'refused',
      reason: 'bad template',
    });
    expect(classifyAnswer(404, 'nope', null)).toEqual({
      kind: 'refused',
      reason: 'refused with status 404',
    });
  });

  it('retries 429 and 5xx, honouring Retry-After', () => {
    expect(classifyAnswer(429, {}, '3')).toEqual({
      kind: 'retryable',
      reason: 'rate limited (429)',
      rateLimited: true,
      retryAfterMs: 3000,
    });
    expect(classifyAnswer(429, {}, null)).toMatchObject({
      rateLimited: true,
      retryAfterMs: undefined,
    });
    expect(classifyAnswer(503, {}, null)).toMatchObject({ kind: 'retryable', rateLimited: false });
  });

  it('stops on 401, and calls an answer without a verdict unknown', () => {
    expect(classifyAnswer(401, { error: 'Wrong token.' }, null)).toEqual({
      kind: 'auth',
      reason: 'Wrong token.',
    });
    expect(classifyAnswer(200, { hello: 'world' }, null)).toMatchObject({ kind: 'unknown' });
    expect(classifyAnswer(200, { sent: true }, null)).toMatchObject({ kind: 'unknown' });
  });
});

describe('classifyFailure', () => {
  it('retries what never left, and calls the rest unknown', () => {
    expect(
      classifyFailure(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
      ),
    ).toMatchObject({ kind: 'retryable' });
    expect(
      classifyFailure(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
    ).toMatchObject({ kind: 'unknown' });
    expect(
      classifyFailure(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }),
      ),
    ).toMatchObject({ kind: 'unknown' });
    expect(
      classifyFailure(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
      ),
    ).toMatchObject({ kind: 'unknown' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, within bounds', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(
      retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2026, 0, 1)),
    ).toBe(10_000);
    expect(retryAfterMs('86400')).toBe(600_000);
    expect(retryAfterMs('-5')).toBe(0);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
