import { describe, expect, it } from 'vitest';
import { backoffMs, decide } from './outcomes';

const now = 1_000_000;
const half = () => 0.5;

describe('decide', () => {
  it('stores accepted, refused and unknown outcomes as they are', () => {
    expect(decide(1, { kind: 'accepted', providerMessageId: 'p1' }, 1, 5, now)).toMatchObject({
      status: 'sent',
      providerMessageId: 'p1',
    });
    expect(decide(1, { kind: 'refused', reason: 'Phone is not valid' }, 1, 5, now)).toMatchObject({
      status: 'failed',
      error: 'Phone is not valid',
    });
    expect(decide(1, { kind: 'unknown', reason: 'timed out' }, 1, 5, now)).toMatchObject({
      status: 'unknown',
      error: 'timed out',
    });
  });

  it('retries what the provider did not take, with backoff, up to the limit', () => {
    const retry = decide(
      1,
      { kind: 'retryable', reason: 'provider error 503', rateLimited: false },
      2,
      5,
      now,
      half,
    );
    expect(retry).toMatchObject({ status: 'pending', refundAttempt: false });
    expect(retry.retryAt?.getTime()).toBe(now + 1500);
    expect(
      decide(1, { kind: 'retryable', reason: 'provider error 503', rateLimited: false }, 5, 5, now),
    ).toMatchObject({
      status: 'failed',
      error: 'provider error 503; gave up after 5 attempts',
    });
  });

  it('never counts a 429 or a 401 as an attempt', () => {
    const limited = decide(
      1,
      { kind: 'retryable', reason: 'rate limited (429)', rateLimited: true, retryAfterMs: 3000 },
      5,
      5,
      now,
    );
    expect(limited).toMatchObject({ status: 'pending', refundAttempt: true });
    expect(limited.retryAt?.getTime()).toBe(now + 3000);
    expect(decide(1, { kind: 'auth', reason: 'Wrong token' }, 1, 5, now)).toMatchObject({
      status: 'pending',
      refundAttempt: true,
    });
  });
});

describe('backoffMs', () => {
  it('doubles from one second, with jitter between half and all, capped at a minute', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(60_000);
  });
});
