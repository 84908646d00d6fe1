/** Base64 and base64url for bytes, with the platform's btoa/atob (Workers, Deno and Node have them). */

/** Bytes per String.fromCharCode call: well under every engine's limit on arguments. */
const CHUNK = 0x2000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** UTF-8 text to base64, as HTTP Basic credentials want it. */
export function utf8ToBase64(text: string): string {
  return toBase64(new TextEncoder().encode(text));
}
