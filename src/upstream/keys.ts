/**
 * An organisation's signing keys from the configuration: our signing key under its key id and the
 * organisation's answer keys, imported through WebCrypto once per isolate. A key that does not
 * import names its variable (`<prefix>SIGNING_KEY`, `<prefix>RESPONSE_KEYS`), never its value.
 */
import type { SigningSettings } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { SigningKeys } from './signed-client.ts';
import { importSigningKey, importVerifyKeys } from './signing/keys.ts';

/** @throws ConfigError naming each variable whose key does not import */
export async function loadSigningKeys(
  { signingKey, keyId, responseKeys }: SigningSettings,
  prefix: string,
): Promise<SigningKeys> {
  const [signer, verifiers] = await Promise.allSettled([importSigningKey(signingKey), importVerifyKeys(responseKeys)]);
  const bad = [
    ...(signer.status === 'rejected' ? [`${prefix}SIGNING_KEY`] : []),
    ...(verifiers.status === 'rejected' ? [`${prefix}RESPONSE_KEYS`] : []),
  ];
  if (signer.status === 'rejected' || verifiers.status === 'rejected') throw new ConfigError(bad);
  return { signer: { key: signer.value, keyId }, responseKeys: verifiers.value };
}
