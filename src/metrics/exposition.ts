/**
 * The Prometheus text exposition format, version 0.0.4: a family's `# HELP` and `# TYPE` lines,
 * then one line per sample, label values and help text escaped as the format says.
 */

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** Appended to the family's name: `_bucket`, `_sum`, `_count` of a histogram. */
  suffix?: string;
  labels: Labels;
  value: number;
}

export interface Family {
  /** A counter's name ends in `_total`. */
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: readonly Sample[];
}

/** Every family in turn, ending with a newline. */
export function exposition(families: readonly Family[]): string {
  return families.map(family).join('');
}

function family({ name, help, type, samples }: Family): string {
  const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
  for (const sample of samples)
    lines.push(`${name}${sample.suffix ?? ''}${labelSet(sample.labels)} ${value(sample.value)}`);
  return `${lines.join('\n')}\n`;
}

function labelSet(labels: Labels): string {
  const pairs = Object.entries(labels).map(([label, text]) => `${label}="${escapeLabelValue(text)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** A label value's backslashes, double quotes and line feeds, escaped. */
export function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Help text escapes backslashes and line feeds only. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** A sample value (or a bucket's bound) as Go's ParseFloat reads it: `+Inf`, `-Inf`, `NaN` spelt out. */
export function value(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}
