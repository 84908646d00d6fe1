/**
 * RFC 9530 Content-Digest: a Dictionary of hashing algorithm → Byte Sequence, computed over the
 * exact content bytes (after any content coding, so over what travels). The channel sends sha-256
 * and accepts sha-256 or sha-512; other algorithms in a received field are ignored (RFC 9530 §2
 * lets a recipient ignore any digest), but at least one accepted digest must be present and every
 * accepted one present must match.
 */
import { toBase64 } from '../../crypto/base64.ts';
import { isInnerList, parseDictionary, StructuredFieldError } from './structured-fields.ts';

export type DigestAlgorithm = 'sha-256' | 'sha-512';

const WEBCRYPTO_NAMES: Readonly<Record<DigestAlgorithm, string>> = { 'sha-256': 'SHA-256', 'sha-512': 'SHA-512' };

/** Why a Content-Digest was refused; no variant carries the field's value or the body. */
export type DigestCheck =
  | { ok: true; algorithms: DigestAlgorithm[] }
  | { ok: false; reason: 'missing' | 'malformed' | 'unsupported' | 'mismatch' };

/**
 * The Content-Digest field value for `body`, e.g. `sha-256=:X48E…=:`.
 * @param body the exact bytes sent (or received): re-encoding a JSON body changes its digest
 */
export async function contentDigest(body: BufferSource, algorithm: DigestAlgorithm = 'sha-256'): Promise<string> {
  return `${algorithm}=:${toBase64(await digest(algorithm, body))}:`;
}

/**
 * Checks a received Content-Digest field value (null when the field is absent) against the body.
 * Never throws for bad input: every refusal is a reason.
 */
export async function verifyContentDigest(field: string | null, body: BufferSource): Promise<DigestCheck> {
  if (field === null || field.trim() === '') return { ok: false, reason: 'missing' };
  let members: ReturnType<typeof parseDictionary>;
  try {
    members = parseDictionary(field);
  } catch (error) {
    if (error instanceof StructuredFieldError) return { ok: false, reason: 'malformed' };
    throw error;
  }
  const checked: DigestAlgorithm[] = [];
  for (const [key, member] of members) {
    if (isInnerList(member) || !(member.value instanceof Uint8Array)) return { ok: false, reason: 'malformed' };
    if (key !== 'sha-256' && key !== 'sha-512') continue;
    if (!equalBytes(await digest(key, body), member.value)) return { ok: false, reason: 'mismatch' };
    checked.push(key);
  }
  return checked.length > 0 ? { ok: true, algorithms: checked } : { ok: false, reason: 'unsupported' };
}

async function digest(algorithm: DigestAlgorithm, body: BufferSource): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(WEBCRYPTO_NAMES[algorithm], body));
}

/** Compares in full whatever the first difference, so timing says nothing about the expected digest. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
