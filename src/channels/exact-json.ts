/**
 * JSON whose integers stay exact. Soroush Plus and Bale give chats and users integer ids that may
 * exceed 2^53, which JSON.parse rounds without a word. So integers are read from the raw text as
 * their decimal digits (through the reviver's `source` where the engine gives it, as workerd and
 * Deno do; else by quoting them in the text first), and written back as integer literals from bigints.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** A JSON number; groups 1 and 2 are its fraction and exponent, which integers lack. */
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Parses JSON text in which every integer literal becomes the string of its digits (`1234` →
 * `"1234"`); numbers with a fraction or an exponent stay numbers.
 * @throws SyntaxError when the text is not JSON
 */
export function parseExactJson(text: string): unknown {
  if (REVIVER_SEES_SOURCE) return JSON.parse(text, integersAsDigits as Reviver);
  // Validated as it stands first: once quoted, a number misplaced as a key would pass for a string.
  JSON.parse(text);
  return JSON.parse(quoteIntegers(text));
}

type Reviver = (key: string, value: unknown) => unknown;

/** A number's own text is an integer's when it has neither fraction nor exponent. */
function integersAsDigits(_key: string, value: unknown, context?: { source?: string }): unknown {
  const source = context?.source;
  return typeof value === 'number' && source !== undefined && !/[.eE]/.test(source) ? source : value;
}

/** Whether JSON.parse hands a reviver the source text of each primitive (V8 11.4+, not Node 20's). */
const REVIVER_SEES_SOURCE =
  JSON.parse(
    '1',
    ((_key: string, _value: unknown, context?: { source?: string }) => context?.source === '1') as Reviver,
  ) === true;

/**
 * JSON text for plain data (objects, arrays, strings, numbers, booleans, null) in which every
 * bigint is written as an integer literal, digit for digit.
 */
export function stringifyExact(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : stringifyExact(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${fields.map(([key, item]) => `${JSON.stringify(key)}:${stringifyExact(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Valid JSON in, the same JSON with its integer literals in quotes out. */
function quoteIntegers(text: string): string {
  const pieces: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = afterString(text, i);
    } else if (code === MINUS || (code >= ZERO && code <= NINE)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      const end = i + (match?.[0].length ?? 1);
      if (match && match[1] === undefined && match[2] === undefined) {
        pieces.push(text.slice(copied, i), '"', match[0], '"');
        copied = end;
      }
      i = end;
    } else {
      i++;
    }
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** The index just past the string literal that opens at `start`. */
function afterString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  return text.length;
}
