/**
 * Splitting a text too long for one message into parts a messenger accepts. Cuts fall where a
 * reader pauses (a blank line, else a line break, else a space), so no word, Persian number
 * (`۱۲٬۵۰۰`, `۱۴۰۵/۰۱/۰۲`) or bidi-isolated run (the plates Pishkhan wraps in U+2066…U+2069) is
 * broken; only a single "word" longer than a whole message is cut inside, between characters.
 */

/** Cut candidates, best first: a paragraph break, a line break, a space or tab. */
const BREAKS = [/\n[ \t\r]*\n[ \t\r\n]*/g, /\n[ \t\r\n]*/g, /[ \t]+/g] as const;
const LEADING_BREAK = /^[ \t\r\n]+/;
const ISOLATE_OPEN = /[\u2066\u2067\u2068]/;
const ISOLATE_CLOSE = '\u2069';
/** Marks that attach to the character before them, and the joiners: never the first of a part. */
const ATTACHED = /^[\p{M}\u200c\u200d]/u;
/** Below this, cutting at the best kind of break would leave parts uselessly short. */
const FILL = 0.5;
const MIN_LIMIT = 16;

/**
 * @param limit the most UTF-16 code units a part may hold (how JavaScript and most messengers count)
 * @returns the parts, in order, each non-empty and at most `limit` long; the text itself when it fits
 */
export function splitText(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < MIN_LIMIT)
    throw new RangeError(`limit must be an integer of at least ${MIN_LIMIT}`);
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const part = rest.slice(0, cut.end).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut.resume).replace(LEADING_BREAK, '');
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}

/** Where the first part ends, and where the next one starts (the break between them is dropped). */
function findCut(text: string, limit: number): { end: number; resume: number } {
  // A break that starts right at `limit` still leaves the part within it.
  const window = text.slice(0, limit + 1);
  const isolated = isolatedRanges(window);
  let latest: { end: number; resume: number } | null = null;
  for (const pattern of BREAKS) {
    let best: { end: number; resume: number } | null = null;
    for (const match of window.matchAll(pattern)) {
      const end = match.index;
      if (end === 0 || end > limit || isolated.some(([from, to]) => end > from && end < to)) continue;
      best = { end, resume: end + match[0].length };
    }
    if (best && best.end >= limit * FILL) return best;
    if (best && (!latest || best.end > latest.end)) latest = best;
  }
  return latest ?? hardCut(text, limit);
}

/** A cut inside an over-long run: never between a surrogate pair, nor before a mark or joiner. */
function hardCut(text: string, limit: number): { end: number; resume: number } {
  let end = limit;
  while (end > 1 && (isLowSurrogate(text.charCodeAt(end)) || ATTACHED.test(text.slice(end, end + 1)))) end--;
  return { end, resume: end };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The spans from each bidi isolate's opening to its closing mark, outermost only; an open one runs to the end. */
function isolatedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (ISOLATE_OPEN.test(char)) {
      if (depth++ === 0) start = i;
    } else if (char === ISOLATE_CLOSE && depth > 0 && --depth === 0) {
      ranges.push([start, i]);
    }
  }
  if (depth > 0) ranges.push([start, text.length]);
  return ranges;
}
