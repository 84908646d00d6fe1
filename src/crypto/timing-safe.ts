/** Comparing secrets without leaking, through timing, how much of a guess was right. */

/**
 * Every code unit up to the longer string's length is compared, whatever differs first: the time
 * taken tells at most the length of the longer one (a secret's length is no secret worth the
 * name), never how much of it a guess got right. No hashing: this runs on every webhook.
 */
export function timingSafeEqual(given: string, expected: string): boolean {
  const length = Math.max(given.length, expected.length);
  let difference = given.length ^ expected.length;
  for (let i = 0; i < length; i++) difference |= (given.charCodeAt(i) | 0) ^ (expected.charCodeAt(i) | 0);
  return difference === 0 && expected.length > 0;
}
