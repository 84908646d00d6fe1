/**
 * The routing table: each phrasing of phrasings.ts must reach its service, or, marked none, open
 * nothing. Prints the share routed right and the time one message takes to route.
 */
import { describe, expect, it } from 'vitest';
import { route } from '../../../src/conversation/route.ts';
import { catalogue } from '../../../src/services/catalogue.ts';
import { PHRASINGS } from './phrasings.ts';

const NOW = Date.UTC(2026, 11, 6);
const opened = (text: string) => {
  const routed = route(text, catalogue, NOW);
  return routed.kind === 'service' ? routed.service.id : null;
};

describe('routing free text at the menu', () => {
  it('opens the right service for at least 95 % of the table, and none for a phrasing that names none', () => {
    const wrong = PHRASINGS.filter(([text, expected]) => opened(text) !== expected);
    const share = (PHRASINGS.length - wrong.length) / PHRASINGS.length;
    const started = performance.now();
    const rounds = 20;
    for (let i = 0; i < rounds; i++) for (const [text] of PHRASINGS) route(text, catalogue, NOW);
    const microseconds = ((performance.now() - started) * 1000) / (rounds * PHRASINGS.length);
    console.info(
      `routing: ${PHRASINGS.length} phrasings, ${(share * 100).toFixed(1)} % routed right, ` +
        `${microseconds.toFixed(1)} µs per message` +
        (wrong.length ? `; missed: ${wrong.map(([text]) => `«${text}» → ${opened(text) ?? 'none'}`).join(', ')}` : ''),
    );
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(60);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(PHRASINGS.filter(([text, expected]) => expected === null && opened(text) !== null)).toEqual([]);
  });

  it('offers the close services when no one is clearly named, and says none when nothing is close', () => {
    expect(route('برق رفته', catalogue, NOW)).toMatchObject({ kind: 'choices', services: [{ id: 'bill' }] });
    expect(route('سلام', catalogue, NOW)).toEqual({ kind: 'none' });
    expect(route('وضعیت', catalogue, NOW)).toEqual({ kind: 'none' });
  });

  it('never takes a national code or a mobile for anything, even beside a service name', () => {
    for (const text of ['0499370899', '۰۴۹۹۳۷۰۸۹۹', 'خلافی 0499370899', '68415941']) {
      expect(route(text, catalogue, NOW)).toEqual({ kind: 'personal', what: 'nationalCode' });
    }
    for (const text of ['09121234567', '+98 912 123 4567', 'قبض 09121234567']) {
      expect(route(text, catalogue, NOW)).toEqual({ kind: 'personal', what: 'mobile' });
    }
  });

  it('hands the identifier to the service it opens, to answer its first question', () => {
    expect(route('کد پستی ۱۱۹۳۶۵۳۴۷۱', catalogue, NOW)).toMatchObject({ kind: 'service', typed: '1193653471' });
    expect(route('۱۲ ب ۳۴۵ ایران ۶۷', catalogue, NOW)).toMatchObject({ typed: '12 ب 345 ایران 67' });
    // A short number alone could be anything; with the service's name it is its answer, right or wrong.
    expect(route('123456', catalogue, NOW)).toEqual({ kind: 'none' });
    expect(route('قبض 123', catalogue, NOW)).toMatchObject({ kind: 'service', service: { id: 'bill' }, typed: '123' });
  });
});
