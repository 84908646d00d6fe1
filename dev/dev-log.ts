/**
 * What a person reads of the worker under `npm run dev`: each of its JSON lines as one short line,
 * idle sweeps left out, and wrangler's own noise dropped (its bindings table, the stack trace of a
 * `Request.cf` it cannot fetch offline, its request lines). `LOG_FORMAT=json` keeps the lines as the
 * worker writes them, as production logs them.
 */

/** What to print of one line of wrangler's output (its secrets already masked), or nothing. */
export type WorkerLog = (line: string) => string | null;

/** The worker's lines as they are; only the local stack's own scheduled calls are left out. */
export const rawLog: WorkerLog = (line) => (line.includes('/cdn-cgi/handler/scheduled') ? null : line);

/**
 * Blocks wrangler prints at start-up: a heading, then lines up to a blank one (blank lines right
 * after the heading included).
 */
const NOISE_BLOCKS = [
  /Processing wrangler\.toml configuration/,
  /Your Worker has access to the following bindings/,
  /Scheduled Workers are not automatically triggered/,
];
/** Offline, wrangler cannot fetch the `Request.cf` placeholder: one warning and its stack trace, harmless. */
const CF_WARNING = /Unable to fetch the `Request\.cf` object/;
const TRACE = /^(Error: |\s+at )/;
/** Single lines of wrangler's that say nothing the stack's own banner and the worker's lines do not. */
const NOISE_LINES = [/^\s*$/, /⛅️ wrangler/, /^─+$/, /^⎔ /, /^\[wrangler:info\]/, /^Using secrets defined in/];
// biome-ignore lint/suspicious/noControlCharactersInRegex: the colours wrangler writes
const COLOUR = /\u001b\[[0-9;]*m/g;
const JSON_LINE = '{"at":';

/** The readable log; it keeps a little state, to skip a noise block or trace to its end. */
export function readableLog(): WorkerLog {
  let skipping: 'heading' | 'block' | 'trace' | null = null;
  return (raw) => {
    const line = raw.replace(COLOUR, '');
    if ((skipping === 'heading' || skipping === 'block') && !line.includes(JSON_LINE)) {
      if (line.trim() !== '') skipping = 'block';
      else if (skipping === 'block') skipping = null;
      return null;
    }
    if (skipping === 'trace' && TRACE.test(line)) return null;
    skipping = null;
    if (CF_WARNING.test(line)) skipping = 'trace';
    else if (NOISE_BLOCKS.some((pattern) => pattern.test(line))) skipping = 'heading';
    if (skipping || NOISE_LINES.some((pattern) => pattern.test(line))) return null;
    // console.error's lines come framed by wrangler ("✘ [ERROR] {...}").
    const json = line.indexOf(JSON_LINE);
    if (json === -1) return line;
    try {
      return humanLine(JSON.parse(line.slice(json)) as Record<string, unknown>);
    } catch {
      return line;
    }
  };
}

/** Fields shown in an event's headline rather than after it. */
const HEADLINES: Record<string, { fields: string[]; text(fields: Record<string, unknown>): string }> = {
  event: { fields: ['channel', 'kind', 'outcome'], text: (f) => `${f.channel} ${f.kind} → ${f.outcome}` },
  webhook: { fields: ['channel', 'outcome'], text: (f) => `${f.channel} webhook → ${f.outcome}` },
};

/**
 * What a sweep reports rather than does (the counts of the last minute's traffic, for Workers where
 * no process keeps them; the inbox's lag), and its routine (dedupe claims expire every few seconds
 * after any traffic). A sweep with nothing else to say was idle.
 */
const SWEEP_ROUTINE = new Set(['inboxLagMs', 'updates', 'calls', 'upstreamMs', 'purgedClaims']);

/** One JSON log line as `12:03:04  bale text → replied  service=postcode upstream=ok 35 ms`; null for an idle sweep. */
export function humanLine(entry: Record<string, unknown>): string | null {
  const { at, event, ms, ...fields } = entry;
  const shown = Object.entries(fields).filter(([, value]) => value !== null && value !== '' && value !== 0);
  if (event === 'sweep' && shown.every(([name]) => SWEEP_ROUTINE.has(name))) return null;
  const headline = HEADLINES[String(event)];
  const rest = shown
    .filter(([name]) => !headline?.fields.includes(name))
    .map(([name, value]) => `${name}=${value}`)
    .concat(typeof ms === 'number' ? [`${ms} ms`] : []);
  const time = typeof at === 'string' ? new Date(at).toLocaleTimeString('en-GB') : '';
  const mark = 'error' in fields ? '✗ ' : '';
  return [time, `${mark}${headline ? headline.text(fields) : String(event)}`, rest.join(' ')]
    .filter(Boolean)
    .join('  ');
}
