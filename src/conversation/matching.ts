/**
 * Free Persian text against the catalogue's words, without a model: each service's title and
 * phrasings, and the message, are normalised the same way and cut into words, the words that say
 * nothing of a service («استعلام», «من», «میخوام») left out; a phrasing matches when each of its
 * words is in the message, as it is, with a colloquial ending («ماشینم», «پلاکای»), or within a
 * typo (an edit or a swap of two letters in a word of five letters or more, two from eight: shorter
 * words would be taken for others, «قبض» for «قبر», «گاز» for «گاو»). Written together («کدپستی»)
 * counts too.
 */
import type { Catalogue } from '../services/catalogue.ts';
import type { Service } from '../services/types.ts';
import { normaliseText } from '../validation/normalise.ts';

/** The services a message names: `full` when every word of one of its phrasings is there. */
export interface ServiceMatch {
  service: Service;
  /** Words of its best phrasing found in the message. */
  words: number;
  full: boolean;
}

/** Words that say nothing of which service is meant (and the endings a ZWNJ leaves as words). */
const FILLERS = new Set(
  [
    ...['استعلام', 'وضعیت', 'من', 'ما', 'رو', 'را', 'و', 'از', 'به', 'برای', 'با', 'در', 'یه', 'یک', 'این'],
    ...['میخوام', 'میخواستم', 'میخواهم', 'خواستم', 'لطفا', 'لطفاً', 'ببینم', 'بگیرم', 'کنم', 'بدونم', 'چیه'],
    ...['هست', 'است', 'هستش', 'ها', 'های', 'ی', 'ای', 'ام', 'ات', 'اش', 'مون', 'تون', 'شون'],
  ].map(comparable),
);
/** Colloquial endings on a word: possessives, plurals, the object marker run together. */
const ENDINGS = new Set(
  ['م', 'ت', 'ش', 'مون', 'تون', 'شون', 'ها', 'های', 'ای', 'ام', 'ات', 'اش', 'ی', 'و', 'رو', 'مو', 'تو', 'شو']
    .flatMap((ending) => [ending, `${ending}و`, `ها${ending}`])
    .concat(['امو', 'اتو', 'اشو']),
);

interface Phrasing {
  words: string[];
  compact: string;
}

const indexes = new WeakMap<Catalogue, Map<Service, Phrasing[]>>();

/** Every service the message names at least half of one phrasing of, best first. */
export function matchServices(text: string, catalogue: Catalogue): ServiceMatch[] {
  const words = wordsOf(text);
  if (words.length === 0) return [];
  const compact = words.join('');
  const matches: ServiceMatch[] = [];
  for (const [service, phrasings] of indexOf(catalogue)) {
    let best: ServiceMatch | null = null;
    for (const phrasing of phrasings) {
      const found =
        phrasing.compact.length >= 4 && compact.includes(phrasing.compact)
          ? phrasing.words.length
          : phrasing.words.filter((word) => words.some((said) => sameWord(said, word))).length;
      if (found === 0 || found * 2 < phrasing.words.length) continue;
      const match = { service, words: found, full: found === phrasing.words.length };
      if (!best || rank(match, best) < 0) best = match;
    }
    if (best) matches.push(best);
  }
  return matches.sort(rank);
}

/** Full matches first, then those that found more words. */
const rank = (a: ServiceMatch, b: ServiceMatch) => Number(b.full) - Number(a.full) || b.words - a.words;

function indexOf(catalogue: Catalogue): Map<Service, Phrasing[]> {
  let index = indexes.get(catalogue);
  if (!index) {
    index = new Map(
      catalogue.services.map((service) => [
        service,
        [service.title, ...service.phrases]
          .map(wordsOf)
          .filter((words) => words.length > 0)
          .map((words) => ({ words, compact: words.join('') })),
      ]),
    );
    indexes.set(catalogue, index);
  }
  return index;
}

/** The words that may name a service, normalised for comparing. */
function wordsOf(text: string): string[] {
  return comparable(text)
    .split(' ')
    .filter((word) => word && !FILLERS.has(word));
}

/** One spelling of each letter, no marks, no punctuation, ZWNJ as a space. */
function comparable(text: string): string {
  return normaliseText(text.replace(/\u200c/g, ' '))
    .toLowerCase()
    .replace(/[آأإ]/g, 'ا')
    .replace(/[ةۀ]/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

function sameWord(said: string, word: string): boolean {
  if (said === word) return true;
  if (word.length >= 3 && said.startsWith(word) && ENDINGS.has(said.slice(word.length))) return true;
  const typos = word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0;
  return typos > 0 && Math.abs(said.length - word.length) <= typos && editDistance(said, word, typos) <= typos;
}

/** Damerau–Levenshtein (optimal string alignment) distance, given up once past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (before[j - 2] as number) + 1);
      }
      current.push(distance);
      smallest = Math.min(smallest, distance);
    }
    if (smallest > limit) return smallest;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
