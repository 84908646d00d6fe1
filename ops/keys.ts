/**
 * `npm run keys -- [key-id]`: a new Ed25519 key pair for the signed link to the bus
 * (docs/bus.md#signing-profile). Prints the key id (GSB_KEY_ID), the private JWK as the one line to
 * paste into `wrangler secret put GSB_SIGNING_KEY`, the public JWK, alone and as a one-key JWK set,
 * to hand to the bus, and both settings as one line for `wrangler secret bulk` (so that a rotation
 * changes them together). Nothing is written to disk. The key id defaults to `pishkhan-<today>`.
 */
import { KEY_ID } from '../src/config.ts';
import { generateKeyPair } from '../src/upstream/signing/keys.ts';

async function main(args: string[]): Promise<void> {
  const keyId = args[0] ?? `pishkhan-${new Date().toISOString().slice(0, 10)}`;
  if (!KEY_ID.test(keyId)) throw new Error('a key id is 1 to 64 letters, digits, dots, underscores, colons or dashes');
  const { privateJwk, publicJwk } = await generateKeyPair(keyId);
  console.log(
    [
      'Key id: set GSB_KEY_ID to',
      keyId,
      '',
      'Private key (a secret: keep it out of files and chats). Run `npx wrangler secret put GSB_SIGNING_KEY` and paste:',
      JSON.stringify(privateJwk),
      '',
      'Public key, to hand to the bus (a JWK):',
      JSON.stringify(publicJwk),
      '',
      'The same as a one-key JWK set:',
      JSON.stringify({ keys: [publicJwk] }),
      '',
      'To switch to this key in one step (a rotation), paste this line into `npx wrangler secret bulk`:',
      JSON.stringify({ GSB_SIGNING_KEY: JSON.stringify(privateJwk), GSB_KEY_ID: keyId }),
    ].join('\n'),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
