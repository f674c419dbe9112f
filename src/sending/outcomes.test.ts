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

describe('decide, for the kinds only the Cloud API tells apart', () => {
  const error = { code: 132015, title: 'Template is paused' };

  it('hands the row back, attempt refunded, for a template or sender problem (the campaign pauses)', () => {
    for (const kind of ['template', 'sender'] as const) {
      expect(decide(1, { kind, reason: 'Template is paused (132015)', error }, 3, 5, now)).toEqual({
        id: 1,
        status: 'pending',
        providerMessageId: null,
        error: 'Template is paused (132015)',
        retryAt: null,
        refundAttempt: true,
        errorCode: 132015,
        errorTitle: 'Template is paused',
      });
    }
  });

  it('records a holdout as held out with its reason: final, and not a failure', () => {
    expect(
      decide(1, { kind: 'holdout', reason: 'experiment group (130472)' }, 1, 5, now),
    ).toMatchObject({
      status: 'held_out',
      error: 'experiment group (130472)',
      refundAttempt: false,
    });
  });

  it('fails a refusal for good, an opt-out too, with its reason', () => {
    expect(
      decide(1, { kind: 'refused', reason: 'stopped marketing (131050)', optOut: true }, 1, 5, now),
    ).toMatchObject({ status: 'failed', error: 'stopped marketing (131050)' });
  });

  it('waits at least the pair spacing for one recipient over the pair rate, counting the attempt', () => {
    const limited = {
      kind: 'retryable',
      reason: 'pair rate (131056)',
      rateLimited: false,
      recipientLimited: true,
    } as const;
    const first = decide(1, limited, 1, 5, now, half);
    expect(first).toMatchObject({ status: 'pending', refundAttempt: false });
    expect(first.retryAt?.getTime()).toBe(now + 6000);
    // later attempts back off beyond the spacing: attempt 5 is 16 s, 12 s at half jitter
    expect(decide(1, limited, 4, 6, now, half).retryAt?.getTime()).toBe(now + 6000);
    expect(decide(1, limited, 5, 6, now, half).retryAt?.getTime()).toBe(now + 12_000);
    expect(decide(1, limited, 5, 5, now)).toMatchObject({
      status: 'failed',
      error: 'pair rate (131056); gave up after 5 attempts',
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
