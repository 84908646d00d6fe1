/**
 * RFC 8941 Structured Field Values, the part RFC 9421 and RFC 9530 need: Dictionaries whose
 * members are Items or Inner Lists, bare Items of type Integer, Decimal, String, Token, Byte
 * Sequence and Boolean, and Parameters. Parsing follows RFC 8941 §4.2 (the working group's own
 * suite of dictionary cases passes: structured-field-suite.test.ts): anything malformed is a
 * StructuredFieldError, never a guess. One deliberate departure, on request (`strict`, which the
 * signature fields use): a repeated Dictionary or Parameter key is refused instead of "last one
 * wins", because a second `sig1=` or `created=` smuggled into a signed message is an attack.
 */
import { toBase64 } from '../../crypto/base64.ts';

/** An RFC 8941 Token (§3.3.4), kept apart from a String because the two serialize differently. */
export class Token {
  constructor(readonly value: string) {
    if (!TOKEN.test(value)) throw new StructuredFieldError('not a valid token');
  }
}

/** An RFC 8941 Decimal (§3.3.2), kept apart from an Integer because the two serialize differently. */
export class Decimal {
  constructor(readonly value: number) {}
}

export type BareItem = number | Decimal | string | boolean | Token | Uint8Array<ArrayBuffer>;
/** Ordered, as RFC 8941 requires: a Map keeps insertion order. */
export type Parameters = ReadonlyMap<string, BareItem>;
export interface Item {
  readonly value: BareItem;
  readonly params: Parameters;
}
export interface InnerList {
  readonly items: readonly Item[];
  readonly params: Parameters;
}
export type Member = Item | InnerList;
export type Dictionary = ReadonlyMap<string, Member>;

/** A field value that is not a valid Structured Field, or a value that cannot be serialized as one. */
export class StructuredFieldError extends Error {
  override readonly name = 'StructuredFieldError';
}

const KEY = /^[a-z*][a-z0-9_.*-]*$/;
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
const KEY_CHAR = /[a-z0-9_.*-]/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const DIGIT = /[0-9]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_INTEGER = 999_999_999_999_999;

/** Tells a Dictionary member's two shapes apart. */
export function isInnerList(member: Member): member is InnerList {
  return 'items' in member;
}

/**
 * Parses a Dictionary field value (RFC 8941 §4.2 with field_type "dictionary").
 * @param options.strict refuse a repeated key, of a member or a parameter, rather than keep the last
 */
export function parseDictionary(field: string, options: { strict?: boolean } = {}): Map<string, Member> {
  const parser = new Parser(field, options.strict ?? false);
  parser.skip(' ');
  const dictionary = parser.dictionary();
  parser.skip(' ');
  if (!parser.done()) parser.fail('unexpected characters after the dictionary');
  return dictionary;
}

/** RFC 8941 §4.1.2. */
export function serializeDictionary(dictionary: Dictionary): string {
  const members: string[] = [];
  for (const [key, member] of dictionary) {
    if (!isInnerList(member) && member.value === true) members.push(serializeKey(key) + serializeParams(member.params));
    else members.push(`${serializeKey(key)}=${serializeMember(member)}`);
  }
  return members.join(', ');
}

/** RFC 8941 §4.1.1.1. */
export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map(serializeItem).join(' ')})${serializeParams(list.params)}`;
}

/** RFC 8941 §4.1.3. */
export function serializeItem(item: Item): string {
  return serializeBareItem(item.value) + serializeParams(item.params);
}

function serializeMember(member: Member): string {
  return isInnerList(member) ? serializeInnerList(member) : serializeItem(member);
}

function serializeParams(params: Parameters): string {
  let output = '';
  for (const [key, value] of params) {
    output += `;${serializeKey(key)}${value === true ? '' : `=${serializeBareItem(value)}`}`;
  }
  return output;
}

function serializeKey(key: string): string {
  if (!KEY.test(key)) throw new StructuredFieldError('not a valid key');
  return key;
}

function serializeBareItem(value: BareItem): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > MAX_INTEGER) {
      throw new StructuredFieldError('not an RFC 8941 integer');
    }
    return String(value === 0 ? 0 : value); // never "-0"
  }
  if (typeof value === 'string') {
    if (!/^[\x20-\x7e]*$/.test(value)) throw new StructuredFieldError('a string may hold only printable ASCII');
    return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  if (typeof value === 'boolean') return value ? '?1' : '?0';
  if (value instanceof Token) return value.value;
  if (value instanceof Decimal) return serializeDecimal(value.value);
  return `:${toBase64(value)}:`;
}

/** RFC 8941 §4.1.5: rounded half to even to three places, at least one, and at most 12 digits before the point. */
function serializeDecimal(value: number): string {
  const thousandths = value * 1000;
  const below = Math.floor(thousandths);
  const excess = thousandths - below;
  const up = excess > 0.5 || (excess === 0.5 && below % 2 !== 0);
  const rounded = (up ? below + 1 : below) / 1000;
  if (!Number.isFinite(rounded) || Math.abs(Math.trunc(rounded)) > 999_999_999_999) {
    throw new StructuredFieldError('not an RFC 8941 decimal');
  }
  const text = String(rounded === 0 ? 0 : rounded);
  return text.includes('.') ? text : `${text}.0`;
}

/** RFC 8941 §4.2's algorithms over one field value, consuming it from left to right. */
class Parser {
  private at = 0;

  constructor(
    private readonly input: string,
    /** Refuse a repeated key rather than keep the last (see the module's header). */
    private readonly strict: boolean,
  ) {}

  fail(reason: string): never {
    throw new StructuredFieldError(`malformed structured field at offset ${this.at}: ${reason}`);
  }

  done(): boolean {
    return this.at >= this.input.length;
  }

  skip(chars: string): void {
    while (!this.done() && chars.includes(this.peek())) this.at++;
  }

  dictionary(): Map<string, Member> {
    const dictionary = new Map<string, Member>();
    while (!this.done()) {
      const key = this.key();
      if (this.strict && dictionary.has(key)) this.fail('a repeated dictionary key');
      if (this.peek() === '=') {
        this.at++;
        dictionary.set(key, this.peek() === '(' ? this.innerList() : this.item());
      } else {
        dictionary.set(key, { value: true, params: this.params() });
      }
      this.skip(' \t');
      if (this.done()) return dictionary;
      if (this.next() !== ',') this.fail('members must be separated by a comma');
      this.skip(' \t');
      if (this.done()) this.fail('a trailing comma');
    }
    return dictionary;
  }

  private peek(): string {
    return this.input[this.at] ?? '';
  }

  private next(): string {
    return this.input[this.at++] ?? '';
  }

  private innerList(): InnerList {
    this.at++; // the "(" the caller saw
    const items: Item[] = [];
    while (!this.done()) {
      this.skip(' ');
      if (this.peek() === ')') {
        this.at++;
        return { items, params: this.params() };
      }
      items.push(this.item());
      if (this.peek() !== ' ' && this.peek() !== ')') this.fail('inner list items must be separated by a space');
    }
    this.fail('an inner list without its ")"');
  }

  private item(): Item {
    return { value: this.bareItem(), params: this.params() };
  }

  private params(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.peek() === ';') {
      this.at++;
      this.skip(' ');
      const key = this.key();
      if (this.strict && params.has(key)) this.fail('a repeated parameter');
      let value: BareItem = true;
      if (this.peek() === '=') {
        this.at++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  private key(): string {
    if (!/[a-z*]/.test(this.peek())) this.fail('a key must start with a lowercase letter or "*"');
    const start = this.at;
    while (!this.done() && KEY_CHAR.test(this.peek())) this.at++;
    return this.input.slice(start, this.at);
  }

  private bareItem(): BareItem {
    const first = this.peek();
    if (first === '-' || DIGIT.test(first)) return this.number();
    if (first === '"') return this.string();
    if (first === ':') return this.byteSequence();
    if (first === '?') return this.boolean();
    if (/[A-Za-z*]/.test(first)) return this.token();
    this.fail('an item of unknown type');
  }

  /** RFC 8941 §4.2.4: an Integer of at most 15 digits, or a Decimal of at most 12 and 3. */
  private number(): number | Decimal {
    const sign = this.peek() === '-' ? -1 : 1;
    if (sign === -1) this.at++;
    if (!DIGIT.test(this.peek())) this.fail('a number without digits');
    const start = this.at;
    while (!this.done() && DIGIT.test(this.peek())) this.at++;
    const whole = this.input.slice(start, this.at);
    if (this.peek() !== '.') {
      if (whole.length > 15) this.fail('an integer of more than 15 digits');
      return sign * Number(whole);
    }
    if (whole.length > 12) this.fail('a decimal of more than 12 digits before its point');
    this.at++; // the "."
    const fractionStart = this.at;
    while (!this.done() && DIGIT.test(this.peek())) this.at++;
    const fraction = this.input.slice(fractionStart, this.at);
    if (fraction.length === 0) this.fail('a decimal without digits after its point');
    if (fraction.length > 3) this.fail('a decimal of more than 3 digits after its point');
    return new Decimal(sign * Number(`${whole}.${fraction}`));
  }

  private string(): string {
    this.at++; // the opening DQUOTE
    let output = '';
    while (!this.done()) {
      const char = this.next();
      if (char === '\\') {
        const escaped = this.next();
        if (escaped !== '"' && escaped !== '\\') this.fail('only \\" and \\\\ may be escaped in a string');
        output += escaped;
      } else if (char === '"') {
        return output;
      } else if (char < ' ' || char > '~') {
        this.fail('a string may hold only printable ASCII');
      } else {
        output += char;
      }
    }
    this.fail('a string without its closing quote');
  }

  private token(): Token {
    const start = this.at;
    this.at++;
    while (!this.done() && TOKEN_CHAR.test(this.peek())) this.at++;
    return new Token(this.input.slice(start, this.at));
  }

  private byteSequence(): Uint8Array<ArrayBuffer> {
    this.at++; // the opening ":"
    const end = this.input.indexOf(':', this.at);
    if (end === -1) this.fail('a byte sequence without its closing ":"');
    const encoded = this.input.slice(this.at, end);
    this.at = end + 1;
    if (!BASE64.test(encoded)) this.fail('a byte sequence must be base64');
    try {
      // RFC 8941 §4.2.7: tolerate missing "=" padding; atob does, and refuses impossible lengths.
      return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
    } catch {
      this.fail('a byte sequence must be base64');
    }
  }

  private boolean(): boolean {
    this.at++; // the "?"
    const char = this.next();
    if (char === '1') return true;
    if (char === '0') return false;
    this.fail('a boolean must be ?0 or ?1');
  }
}
