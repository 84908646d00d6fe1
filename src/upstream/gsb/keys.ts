/** The bus's signing keys: our GSB_SIGNING_KEY under GSB_KEY_ID, and the bus's GSB_RESPONSE_KEYS. */
import type { SigningSettings } from '../../config.ts';
import { loadSigningKeys } from '../keys.ts';
import type { SigningKeys } from '../signed-client.ts';

/** @throws ConfigError naming each variable whose key does not import */
export const loadGsbKeys = (settings: SigningSettings): Promise<SigningKeys> => loadSigningKeys(settings, 'GSB_');
