import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../../../src/crypto/timing-safe.ts';

describe('comparing secrets', () => {
  it('accepts only the very secret', () => {
    const secret = 'a-secret-of-thirty-two-characters';
    expect(timingSafeEqual(secret, secret)).toBe(true);
    expect(timingSafeEqual(`${secret.slice(0, -1)}X`, secret)).toBe(false);
    expect(timingSafeEqual(secret.slice(0, -1), secret)).toBe(false);
    expect(timingSafeEqual(`${secret}x`, secret)).toBe(false);
    expect(timingSafeEqual('', secret)).toBe(false);
  });

  it('accepts nothing when no secret is set', () => {
    expect(timingSafeEqual('', '')).toBe(false);
  });

  it('tells apart characters beyond Latin-1', () => {
    expect(timingSafeEqual('رمز-یک', 'رمز-یک')).toBe(true);
    expect(timingSafeEqual('رمز-یک', 'رمز-دو')).toBe(false);
  });
});
