/**
 * What the libSQL client takes from the `js-base64` package (blob values in the JSON protocol),
 * on the platform's own base64: wrangler.toml aliases the package to this module, which keeps
 * about 1.5 KiB of the worker's gzip size off every cold start.
 */
import { fromBase64, toBase64 } from '../crypto/base64.ts';

export const Base64 = { toUint8Array: fromBase64, fromUint8Array: toBase64 };
