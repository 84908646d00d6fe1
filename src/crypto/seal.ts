/**
 * Sealing personal data at rest: AES-256-GCM through WebCrypto. Every sealed value names its
 * key (`<key id>.<iv>.<ciphertext>`), so keys rotate: new values use the current key, old ones
 * open with the key they name for as long as it is kept in PII_KEYS.
 */
import { fromBase64, toBase64Url } from './base64.ts';

export interface Sealer {
  /** The key new values are sealed with (PII_KEY_ID): a value sealed with another is due for resealing. */
  readonly currentKeyId: string;
  /** PII_KEYS holds keys besides the current one: values sealed with them may be waiting to move. */
  readonly rotating: boolean;
  /** `context` is bound to the ciphertext (additional data): a value only opens where it was sealed. */
  seal(plain: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

/** A sealed value that cannot be opened: unknown key, tampered with, or moved to another context. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** @param keys key id → base64 of 32 random bytes; `currentId` seals new values. */
export async function createSealer(keys: Readonly<Record<string, string>>, currentId: string): Promise<Sealer> {
  const imported = new Map<string, CryptoKey>();
  for (const [id, base64] of Object.entries(keys)) {
    const raw = fromBase64(base64);
    if (raw.length !== 32) throw new SealError(`key ${id} is not 32 bytes`);
    imported.set(id, await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  const current = imported.get(currentId);
  if (!current) throw new SealError(`the current key ${currentId} is not among the keys`);

  return {
    currentKeyId: currentId,
    rotating: imported.size > 1,
    async seal(plain, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const params = { name: 'AES-GCM', iv, additionalData: encoder.encode(context) };
      const sealed = new Uint8Array(await crypto.subtle.encrypt(params, current, encoder.encode(plain)));
      return `${currentId}.${toBase64Url(iv)}.${toBase64Url(sealed)}`;
    },
    async open(sealed, context) {
      const [id = '', iv = '', data = ''] = sealed.split('.');
      const key = imported.get(id);
      if (!key) throw new SealError(`no key ${id} to open a sealed value`);
      try {
        const params = { name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) };
        return decoder.decode(await crypto.subtle.decrypt(params, key, fromBase64(data)));
      } catch {
        throw new SealError(`a value sealed with key ${id} does not open`);
      }
    },
  };
}
