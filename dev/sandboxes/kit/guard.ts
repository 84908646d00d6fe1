/**
 * The bot token check every fake messenger API makes before a call: a Hono middleware that lets
 * the call through only with the bot's token, wherever that API carries it (a header, the path),
 * and otherwise answers with that messenger's own refusal.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';

/** Compares secrets without an early exit, so timing does not reveal the common prefix. */
export function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function tokenGuard<E extends Env = Env>(
  token: string,
  presented: (c: Context<E>) => string | undefined,
  refuse: (c: Context<E>) => Response,
): MiddlewareHandler<E> {
  return async (c, next) => {
    if (!sameSecret(presented(c) ?? '', token)) return refuse(c);
    await next();
  };
}
