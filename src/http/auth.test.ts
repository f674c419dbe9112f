import { describe, expect, it } from 'vitest';
import { safeEqual } from './auth';

describe('safeEqual', () => {
  it('accepts only the exact secret, whatever the lengths', () => {
    expect(safeEqual('secret-token', 'secret-token')).toBe(true);
    expect(safeEqual('secret-tokeN', 'secret-token')).toBe(false);
    expect(safeEqual('secret', 'secret-token')).toBe(false);
    expect(safeEqual('', 'secret-token')).toBe(false);
    expect(safeEqual('secret-token-and-more', 'secret-token')).toBe(false);
  });
});
