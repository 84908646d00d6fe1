/**
 * JSON from a messenger, read with the limits of what an update can be: refused (a ChannelError,
 * answered with a 400) when it is not JSON or nests deeper than any update does, before a parser
 * spends its stack on it.
 */
import { ChannelError } from '../errors.ts';

/** No update of any messenger nests this deep; a body that does is not one. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/** How deep `text`'s arrays and objects nest, strings skipped; stops counting past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (OPEN.has(code)) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (CLOSE.has(code)) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses `text` with `parse` (JSON.parse, or one that keeps integers exact), refusing what is too
 * deep or not JSON.
 * @param what the field's name for the error (`body`, `data`)
 */
export function readJson(
  channel: string,
  text: string,
  what: string,
  parse: (text: string) => unknown = JSON.parse,
): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new ChannelError(channel, `${what} nests deeper than ${MAX_JSON_DEPTH}`);
  try {
    return parse(text);
  } catch {
    throw new ChannelError(channel, `${what} is not valid JSON`);
  }
}
