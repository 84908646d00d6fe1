/** Comparing secrets without leaking, through timing, how much of a guess was right. */

const encoder = new TextEncoder();

/** Equal digests of equal length are compared in full, whatever the inputs' lengths. */
export async function timingSafeEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0 && expected.length > 0;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}
