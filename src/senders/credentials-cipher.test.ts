import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CredentialsKey, CredentialsUnreadable } from './credentials-cipher';

const SENDER = '0190d5a0-0000-7000-8000-000000000001';
const OTHER_SENDER = '0190d5a0-0000-7000-8000-000000000002';
const credentials = { url: 'https://gw.example/instance1', token: 'the-token-that-must-not-leak' };
const key = new CredentialsKey('a'.repeat(64));

function reasonOf(open: () => unknown): string {
  try {
    open();
  } catch (error) {
    if (error instanceof CredentialsUnreadable) return error.reason;
    throw error;
  }
  throw new Error('expected CredentialsUnreadable');
}

describe('sealed credentials', () => {
  it('open to what was sealed, and hold none of it in the clear', () => {
    const blob = key.seal(SENDER, credentials);
    expect(key.open(SENDER, blob)).toEqual(credentials);
    expect(blob[0]).toBe(1); // the version
    expect(blob.toString('latin1')).not.toContain('the-token');
    expect(blob.toString('latin1')).not.toContain('gw.example');
    // a fresh IV each time: the same credentials never seal to the same bytes
    expect(key.seal(SENDER, credentials).equals(blob)).toBe(false);
  });

  it('are refused when a byte is altered, wherever it is', () => {
    const blob = key.seal(SENDER, credentials);
    for (const at of [9, 20, 30, blob.length - 1]) {
      const altered = Buffer.from(blob);
      altered[at] = (altered[at] ?? 0) ^ 0x01;
      expect(
        reasonOf(() => key.open(SENDER, altered)),
        `byte ${at}`,
      ).toBe('damaged');
    }
    expect(reasonOf(() => key.open(SENDER, blob.subarray(0, 20)))).toBe('damaged');
  });

  it('are refused on another sender row, under another key, or in an unknown version', () => {
    const blob = key.seal(SENDER, credentials);
    expect(reasonOf(() => key.open(OTHER_SENDER, blob))).toBe('damaged');
    expect(reasonOf(() => new CredentialsKey('b'.repeat(64)).open(SENDER, blob))).toBe('wrong_key');
    const future = Buffer.from(blob);
    future[0] = 2;
    expect(reasonOf(() => key.open(SENDER, future))).toBe('unknown_version');
  });

  it('derive the same key from the same SECRETS_KEY (every process opens every blob)', () => {
    const blob = key.seal(SENDER, credentials);
    expect(new CredentialsKey('a'.repeat(64)).open(SENDER, blob)).toEqual(credentials);
  });

  it('keep the key out of strings, JSON and inspection', () => {
    for (const shown of [String(key), JSON.stringify({ key }), inspect(key)])
      expect(shown).toMatch(/^.*\[CredentialsKey [0-9a-f]{16}\].*$/);
  });
});
