/**
 * The bus's signing keys from the configuration: our signing key (GSB_SIGNING_KEY under
 * GSB_KEY_ID) and the bus's answer keys (GSB_RESPONSE_KEYS), imported through WebCrypto once per
 * isolate. A key that does not import names its variable, never its value.
 */
import type { SigningSettings } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import type { SigningKeys } from '../signed-client.ts';
import { importSigningKey, importVerifyKeys } from '../signing/keys.ts';

/** @throws ConfigError naming each variable whose key does not import */
export async function loadGsbKeys({ signingKey, keyId, responseKeys }: SigningSettings): Promise<SigningKeys> {
  const [signer, verifiers] = await Promise.allSettled([importSigningKey(signingKey), importVerifyKeys(responseKeys)]);
  const bad = [
    ...(signer.status === 'rejected' ? ['GSB_SIGNING_KEY'] : []),
    ...(verifiers.status === 'rejected' ? ['GSB_RESPONSE_KEYS'] : []),
  ];
  if (signer.status === 'rejected' || verifiers.status === 'rejected') throw new ConfigError(bad);
  return { signer: { key: signer.value, keyId }, responseKeys: verifiers.value };
}
