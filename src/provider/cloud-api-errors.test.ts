import { describe, expect, it } from 'vitest';
import { CLOUD_API_ERRORS, classifyCloudApiError, cloudApiVerdict } from './cloud-api-errors';

describe('classifyCloudApiError', () => {
  it('judges a failed status of the webhook (no HTTP status) by its code alone', () => {
    expect(classifyCloudApiError(131049, 'This message was not delivered')).toEqual({
      kind: 'refused',
      reason: 'This message was not delivered (131049)',
      error: { code: 131049, title: 'This message was not delivered' },
    });
    expect(classifyCloudApiError(130472, undefined)).toEqual({
      kind: 'holdout',
      reason: "the recipient is in Meta's experiment group (130472)",
      error: { code: 130472, title: "the recipient is in Meta's experiment group" },
    });
    // a code we do not list, without an HTTP status: a refusal of this message
    expect(classifyCloudApiError(135000, 'Generic user error')).toMatchObject({ kind: 'refused' });
  });

  it('lets a listed code win over the HTTP status, and the status decide for the others', () => {
    expect(cloudApiVerdict(131000, 400)).toBe('retry');
    expect(cloudApiVerdict(190, 400)).toBe('auth');
    expect(cloudApiVerdict(undefined, 401)).toBe('auth');
    expect(cloudApiVerdict(123, 429)).toBe('throughput');
    expect(cloudApiVerdict(123, 502)).toBe('retry');
    expect(cloudApiVerdict(123, 404)).toBe('refused');
  });

  it('documents every code it lists with a meaning', () => {
    for (const [code, { meaning }] of Object.entries(CLOUD_API_ERRORS)) {
      expect(meaning.length, code).toBeGreaterThan(10);
      expect(classifyCloudApiError(Number(code), undefined).reason).toBe(`${meaning} (${code})`);
    }
  });
});
