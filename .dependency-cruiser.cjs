/**
 * The import rules (`npm run deps`, part of `npm test`). src/ in layers, top to bottom; a
 * module imports from its own layer or below, never above:
 *
 *   entries      index.ts, node.ts, deno.ts, host.ts
 *   app          app.ts
 *   pipeline     pipeline/, deps.ts
 *   parts        conversation/, store/, upstream/, channels/
 *   domain       services/, validation/
 *   foundation   i18n/, crypto/, metrics/, config.ts, transport.ts, log.ts, errors.ts, backoff.ts, types.ts
 *
 * Within a layer, two folders never import each other both ways (the "parts" rules below fix the
 * one direction each pair may take), and nothing forms a cycle, type-only imports included.
 */
const layers = [
  ['entries', '^src/(index|node|deno|host)\\.ts$'],
  ['app', '^src/app\\.ts$'],
  ['pipeline', '^src/(pipeline/|deps\\.ts$)'],
  ['parts', '^src/(conversation|store|upstream|channels)/'],
  ['domain', '^src/(services|validation)/'],
  ['foundation', '^src/(i18n/|crypto/|metrics/|(config|transport|log|errors|backoff|types)\\.ts$)'],
];

const upward = layers.slice(1).map(([name, path], i) => ({
  name: `no-import-above-${name}`,
  comment: `the ${name} layer imports only from its own layer or below`,
  severity: 'error',
  from: { path },
  to: { path: layers.slice(0, i + 1).map(([, above]) => above) },
}));

/** Within "parts": the one direction each pair of folders may import in. */
const partsMayNot = {
  conversation: ['store', 'upstream', 'channels'],
  channels: ['conversation', 'store', 'upstream'],
  store: ['upstream', 'channels'],
  upstream: ['conversation', 'channels'],
};
const sideways = Object.entries(partsMayNot).map(([from, targets]) => ({
  name: `no-${from}-to-${targets.join('-')}`,
  comment: `${from}/ does not import ${targets.join(', ')}: folders of one layer import each other one way only`,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/(${targets.join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycle, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...sideways,
    {
      name: 'src-stands-alone',
      comment: 'the shipped code imports nothing from dev/, test/, bench/ or ops/',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(dev|test|bench|ops)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|test/vendor)' },
  },
};
