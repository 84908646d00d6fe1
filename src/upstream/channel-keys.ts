/**
 * The signed channel's keys from the configuration: our signing key (GSB_SIGNING_KEY under
 * GSB_KEY_ID) and the bus's answer keys (GSB_RESPONSE_KEYS), imported through WebCrypto once per
 * isolate. A key that does not import names its variable, never its value.
 */
import { ConfigError } from '../errors.ts';
import { importSigningKey, importVerifyKeys } from './signing/keys.ts';
import type { ChannelKey } from './signing/profile.ts';

/** The three settings as configured (the JSON already parsed). */
export interface ChannelSettings {
  signingKey: object;
  keyId: string;
  responseKeys: object;
}

export interface ChannelKeys {
  signer: ChannelKey;
  /** The bus's answer keys by key id. */
  responseKeys: ReadonlyMap<string, CryptoKey>;
}

/** @throws ConfigError naming each variable whose key does not import */
export async function loadChannelKeys({ signingKey, keyId, responseKeys }: ChannelSettings): Promise<ChannelKeys> {
  const [signer, verifiers] = await Promise.allSettled([importSigningKey(signingKey), importVerifyKeys(responseKeys)]);
  const bad = [
    ...(signer.status === 'rejected' ? ['GSB_SIGNING_KEY'] : []),
    ...(verifiers.status === 'rejected' ? ['GSB_RESPONSE_KEYS'] : []),
  ];
  if (signer.status === 'rejected' || verifiers.status === 'rejected') throw new ConfigError(bad);
  return { signer: { key: signer.value, keyId }, responseKeys: verifiers.value };
}
