/**
 * `npm run build`: the Node entry bundled into dist/node.mjs, and the two commands a deployment
 * needs into dist/migrate.mjs and dist/webhooks.mjs, all run by plain `node` on a host that
 * installed only the production dependencies (`npm ci --omit=dev`: no tsx). docs/in-country.md.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: { node: 'src/node.ts', migrate: 'ops/migrate.ts', webhooks: 'ops/webhooks.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Only our own code is bundled; every package stays an import resolved from node_modules at run
  // time. So the host runs exactly the versions package-lock.json pins, checked against its
  // integrity hashes by `npm ci`, the ones every test ran; and a dev dependency imported by mistake
  // fails the production install's test instead of being carried along unseen.
  packages: 'external',
  // Not minified: size hardly matters on a server, and stack traces stay readable.
  logLevel: 'info',
});
