/**
 * Keyed hashes (HMAC-SHA-256 with the secret pepper) for lookups and dedupe keys: a plain hash of
 * a ten-digit national code or a short message would be brute-forced in seconds.
 */
import { toBase64Url } from './base64.ts';

export type KeyedHash = (text: string) => Promise<string>;

export async function createKeyedHash(pepper: string): Promise<KeyedHash> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(pepper),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return async (text) =>
    toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text))));
}
