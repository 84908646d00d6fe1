import { describe, expect, it } from 'vitest';
import { escapeLabelValue, exposition, value } from '../../../src/metrics/exposition.ts';
import { Counter, Histogram } from '../../../src/metrics/registry.ts';
import { PipelineMetrics } from '../../../src/metrics/series.ts';

describe('the Prometheus text exposition', () => {
  it('writes HELP and TYPE, then a line per label set, counters summed by label set whatever the order', () => {
    const counter = new Counter('pishkhan_updates_total', 'Updates received.');
    counter.inc({ messenger: 'gap', outcome: 'accepted' });
    counter.inc({ outcome: 'accepted', messenger: 'gap' });
    counter.inc({ messenger: 'bale', outcome: 'duplicate' }, 3);
    expect(exposition([counter.collect()])).toBe(
      [
        '# HELP pishkhan_updates_total Updates received.',
        '# TYPE pishkhan_updates_total counter',
        'pishkhan_updates_total{messenger="gap",outcome="accepted"} 2',
        'pishkhan_updates_total{messenger="bale",outcome="duplicate"} 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, double quotes and line feeds in label values, and backslashes and line feeds in help', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const counter = new Counter('x_total', 'one\\two\nthree "quoted"');
    counter.inc({ service: 'say "hi"\n\\' });
    expect(exposition([counter.collect()]).split('\n')).toEqual([
      '# HELP x_total one\\\\two\\nthree "quoted"',
      '# TYPE x_total counter',
      'x_total{service="say \\"hi\\"\\n\\\\"} 1',
      '',
    ]);
  });

  it('writes a histogram as cumulative buckets ending in +Inf, then _sum and _count', () => {
    const histogram = new Histogram('answer_seconds', 'Answer time.', [0.5, 0.1, 1]);
    for (const seconds of [0.05, 0.1, 0.3, 0.7, 3]) histogram.observe({ service: 'postcode' }, seconds);
    expect(exposition([histogram.collect()]).split('\n')).toEqual([
      '# HELP answer_seconds Answer time.',
      '# TYPE answer_seconds histogram',
      // 0.1 is its own bucket's (le means "less than or equal"); 3 is past every bound but +Inf.
      'answer_seconds_bucket{service="postcode",le="0.1"} 2',
      'answer_seconds_bucket{service="postcode",le="0.5"} 3',
      'answer_seconds_bucket{service="postcode",le="1"} 4',
      'answer_seconds_bucket{service="postcode",le="+Inf"} 5',
      'answer_seconds_sum{service="postcode"} 4.15',
      'answer_seconds_count{service="postcode"} 5',
      '',
    ]);
  });

  it('spells infinities and NaN as Go reads them', () => {
    expect([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 0.5, 12].map(value)).toEqual([
      '+Inf',
      '-Inf',
      'NaN',
      '0.5',
      '12',
    ]);
  });

  it("counts the pipeline's reports, without an answer time for a call that never went out", () => {
    const metrics = new PipelineMetrics();
    metrics.update('bale', 'accepted');
    metrics.event('bale', 'replied');
    metrics.inquiry('postcode', 'ok', 40);
    metrics.inquiry('shahkar', 'limited', null);
    const text = exposition(metrics.families());
    expect(text).toContain('pishkhan_updates_total{messenger="bale",outcome="accepted"} 1\n');
    expect(text).toContain('pishkhan_events_total{messenger="bale",outcome="replied"} 1\n');
    expect(text).toContain('pishkhan_inquiries_total{service="postcode",outcome="ok"} 1\n');
    expect(text).toContain('pishkhan_inquiries_total{service="shahkar",outcome="limited"} 1\n');
    expect(text).toContain('pishkhan_upstream_duration_seconds_bucket{service="postcode",le="0.025"} 0\n');
    expect(text).toContain('pishkhan_upstream_duration_seconds_bucket{service="postcode",le="0.05"} 1\n');
    expect(text).toContain('pishkhan_upstream_duration_seconds_sum{service="postcode"} 0.04\n');
    expect(text).not.toContain('pishkhan_upstream_duration_seconds_count{service="shahkar"}');
  });
});
