/**
 * RFC 9421 HTTP Message Signatures over an abstract message, so that both the client (fetch) and a
 * server (Hono) can use it: component values (§2.1 fields, §2.2 derived components, §2.4 `req`),
 * the signature base (§2.5), Ed25519 (§3.3.6), and the Signature-Input and Signature fields (§4).
 * Which components must be covered, which keys are trusted and how fresh a signature must be is
 * policy, and lives with the callers (profile.ts, verifier.ts).
 */
import {
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
  StructuredFieldError,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
} from './structured-fields.ts';

/** Header fields in message order, names in any case; duplicates stay visible. */
export type HeaderPairs = readonly (readonly [name: string, value: string])[];

export interface RequestMessage {
  readonly method: string;
  /** The absolute target URI. */
  readonly url: string;
  readonly headers: HeaderPairs;
}

export interface ResponseMessage {
  readonly status: number;
  readonly headers: HeaderPairs;
}

export type Message = RequestMessage | ResponseMessage;

/** A component identifier: a lowercase field name or a derived `@` name, and the `req` flag (§2.4). */
export interface ComponentId {
  readonly name: string;
  readonly req?: boolean;
}

/** The signature parameters of §2.3 this implementation knows, in the order they are serialized. */
export interface SignatureParams {
  readonly created?: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly keyid?: string;
  readonly alg?: string;
  readonly tag?: string;
}

/** One signature read from a message's Signature-Input and Signature fields. */
export interface ReceivedSignature {
  readonly covered: InnerList;
  readonly components: readonly ComponentId[];
  readonly params: SignatureParams;
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** Signature-Input or Signature does not follow RFC 9421 (or RFC 8941 beneath it). */
export class SignatureFormatError extends Error {
  override readonly name = 'SignatureFormatError';
}

/** The message lacks a covered component, or holds a value that cannot enter a signature base. */
export class SignatureBaseError extends Error {
  override readonly name = 'SignatureBaseError';
}

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const REQUEST_DERIVED = new Set(['@method', '@target-uri', '@authority', '@scheme', '@path', '@query']);
const PARAM_TYPES = {
  created: 'number',
  expires: 'number',
  nonce: 'string',
  keyid: 'string',
  alg: 'string',
  tag: 'string',
} as const satisfies Record<keyof SignatureParams, 'number' | 'string'>;
const encoder = new TextEncoder();

/** A fetch Request as a RequestMessage (fetch's Headers have already combined duplicates). */
export function requestMessage(request: Request): RequestMessage {
  return { method: request.method, url: request.url, headers: [...request.headers] };
}

/** A fetch Response as a ResponseMessage. */
export function responseMessage(response: Response): ResponseMessage {
  return { status: response.status, headers: [...response.headers] };
}

/**
 * A field's value as §2.1 combines it: every line with that name, trimmed, obs-folds turned into
 * single spaces, joined with ", ". Null when the message has no such field.
 */
export function fieldValue(headers: HeaderPairs, name: string): string | null {
  const wanted = name.toLowerCase();
  const values = headers
    .filter(([field]) => field.toLowerCase() === wanted)
    .map(([, value]) => value.replace(/[ \t]*\r?\n[ \t]+/g, ' ').replace(/^[ \t]+|[ \t]+$/g, ''));
  return values.length === 0 ? null : values.join(', ');
}

/**
 * The covered components and parameters as the Inner List that is both the Signature-Input member
 * and the `@signature-params` value. Parameters are serialized in a fixed order: created, expires,
 * nonce, keyid, alg, tag (absent ones skipped).
 */
export function coveredComponents(components: readonly (ComponentId | string)[], params: SignatureParams): InnerList {
  const items = components.map((component): Item => {
    const { name, req } = typeof component === 'string' ? { name: component, req: false } : component;
    return { value: name, params: new Map(req ? [['req', true]] : []) };
  });
  const ordered = new Map<string, string | number>();
  for (const key of Object.keys(PARAM_TYPES) as (keyof SignatureParams)[]) {
    const value = params[key];
    if (value !== undefined) ordered.set(key, value);
  }
  return { items, params: ordered };
}

/**
 * The signature base of §2.5 for `message`, covering `covered` (as built by coveredComponents or
 * read from a received Signature-Input). `request` is the request a response answers, for `;req`.
 * @throws SignatureFormatError when the covered list itself is invalid
 * @throws SignatureBaseError when the message lacks a covered component
 */
export function signatureBase(covered: InnerList, message: Message, request?: RequestMessage): string {
  const lines = componentsOf(covered, isResponse(message)).map((component, i) => {
    const identifier = serializeItem(covered.items[i] as Item);
    return `${identifier}: ${componentValue(component, message, request)}`;
  });
  lines.push(`"@signature-params": ${serializeInnerList(covered)}`);
  return lines.join('\n');
}

/**
 * Signs `message` with an Ed25519 key: the values of its Signature-Input and Signature fields.
 * @param label the signature's label in both fields (§4)
 */
export async function signMessage(
  key: CryptoKey,
  covered: InnerList,
  message: Message,
  { label, request }: { label: string; request?: RequestMessage },
): Promise<{ signatureInput: string; signature: string }> {
  const base = signatureBase(covered, message, request);
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key, encoder.encode(base)));
  return {
    signatureInput: serializeDictionary(new Map([[label, covered]])),
    signature: serializeDictionary(new Map([[label, { value: signature, params: new Map() }]])),
  };
}

/** HTTP_VERIFY for ed25519 (§3.3.6): false for a wrong signature, also for one of the wrong length. */
export async function verifyBase(key: CryptoKey, base: string, signature: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    return await crypto.subtle.verify('Ed25519', key, signature, encoder.encode(base));
  } catch {
    return false;
  }
}

/**
 * Reads the signature labelled `label` from a message's Signature-Input and Signature fields.
 * Returns null when Signature-Input has no such label (or neither field is there).
 * @throws SignatureFormatError when either field is malformed, the two fields disagree on their
 *   labels (§4), or the covered list or parameters are invalid
 */
export function readSignature(message: Message, label: string): ReceivedSignature | null {
  const inputs = parseField(message.headers, 'signature-input');
  const signatures = parseField(message.headers, 'signature');
  for (const key of new Set([...inputs.keys(), ...signatures.keys()])) {
    if (!inputs.has(key) || !signatures.has(key)) throw new SignatureFormatError(`label ${key} is not in both fields`);
  }
  const covered = inputs.get(label);
  const signature = signatures.get(label);
  if (!covered || !signature) return null;
  if (!isInnerList(covered)) throw new SignatureFormatError('Signature-Input members must be inner lists');
  if (isInnerList(signature) || !(signature.value instanceof Uint8Array)) {
    throw new SignatureFormatError('Signature members must be byte sequences');
  }
  return {
    covered,
    components: componentsOf(covered, isResponse(message)),
    params: paramsOf(covered),
    signature: signature.value,
  };
}

function isResponse(message: Message): message is ResponseMessage {
  return 'status' in message;
}

function parseField(headers: HeaderPairs, name: string) {
  try {
    return parseDictionary(fieldValue(headers, name) ?? '', { strict: true });
  } catch (error) {
    if (error instanceof StructuredFieldError) throw new SignatureFormatError(`${name}: ${error.message}`);
    throw error;
  }
}

/** Validates the covered list (§2, §2.5 step 2.4): known names and parameters, each identifier once. */
function componentsOf(covered: InnerList, targetIsResponse: boolean): ComponentId[] {
  const seen = new Set<string>();
  return covered.items.map(({ value, params }) => {
    if (typeof value !== 'string') throw new SignatureFormatError('component identifiers must be strings');
    for (const [param, flag] of params) {
      if (param !== 'req' || flag !== true) {
        throw new SignatureFormatError(`unsupported parameter ${param} on ${value}`);
      }
    }
    const req = params.has('req');
    if (req && !targetIsResponse) throw new SignatureFormatError('req is only for responses');
    const derived = value.startsWith('@');
    if (derived && !REQUEST_DERIVED.has(value) && value !== '@status') {
      throw new SignatureFormatError(`unsupported derived component ${value}`);
    }
    if (!derived && !FIELD_NAME.test(value)) throw new SignatureFormatError('field names must be lowercase tokens');
    const identifier = `${value}${req ? ';req' : ''}`;
    if (seen.has(identifier)) throw new SignatureFormatError(`component ${identifier} is covered twice`);
    seen.add(identifier);
    return { name: value, req };
  });
}

function paramsOf(covered: InnerList): SignatureParams {
  const params: Record<string, string | number> = {};
  for (const [key, value] of covered.params) {
    if (!(key in PARAM_TYPES)) throw new SignatureFormatError(`unknown signature parameter ${key}`);
    if (typeof value !== PARAM_TYPES[key as keyof SignatureParams]) {
      throw new SignatureFormatError(`signature parameter ${key} has the wrong type`);
    }
    params[key] = value as string | number;
  }
  return params;
}

function componentValue({ name, req }: ComponentId, message: Message, request: RequestMessage | undefined): string {
  let source: Message = message;
  if (req) {
    if (!request) throw new SignatureBaseError(`${name};req needs the request the response answers`);
    source = request;
  }
  const value = name.startsWith('@') ? derivedValue(name, source) : fieldValue(source.headers, name);
  if (value === null) throw new SignatureBaseError(`the message has no ${name} field`);
  // A newline would forge extra lines of the base; other non-ASCII would encode ambiguously.
  if (!/^[\x20-\x7e\t]*$/.test(value)) {
    throw new SignatureBaseError(`${name} has characters a signature base cannot hold`);
  }
  return value;
}

/** §2.2; URLs are read through WHATWG URL, which lowercases the host and drops default ports. */
function derivedValue(name: string, message: Message): string {
  if (name === '@status') {
    if (!isResponse(message)) throw new SignatureBaseError('@status is only for responses');
    if (!Number.isInteger(message.status) || message.status < 100 || message.status > 999) {
      throw new SignatureBaseError('@status must be a three-digit status');
    }
    return String(message.status);
  }
  if (isResponse(message)) throw new SignatureBaseError(`${name} is only for requests`);
  if (name === '@method') return message.method;
  let url: URL;
  try {
    url = new URL(message.url);
  } catch {
    throw new SignatureBaseError('the request URL is not absolute');
  }
  switch (name) {
    case '@target-uri':
      url.hash = '';
      return url.href;
    case '@authority':
      return url.host;
    case '@scheme':
      return url.protocol.slice(0, -1);
    case '@path':
      return url.pathname || '/';
    default: // '@query', the last one componentsOf lets through
      return url.search || '?';
  }
}
