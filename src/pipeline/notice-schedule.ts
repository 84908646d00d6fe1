/**
 * When a subscription is checked and when its notice may be sent: Tehran's clock (UTC+03:30 all
 * year since Iran dropped daylight saving in 2022, so plain arithmetic, no Intl), each
 * subscription's own minute of the day (so the checks of a day spread instead of all falling at
 * once), and the quiet hours (22:00 to 08:00) that hold a notice until morning.
 */

export const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;
/** Asia/Tehran: +03:30, without daylight saving since 2022. */
export const TEHRAN_OFFSET_MS = 3.5 * HOUR_MS;
/** Nothing is sent from 22:00 to 08:00 Tehran time. */
const QUIET_FROM_H = 22;
const QUIET_UNTIL_H = 8;

/** The Tehran day `at` falls in, counted from the epoch: the idempotency key of a day's check. */
export function tehranDay(at: number): number {
  return Math.floor((at + TEHRAN_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since Tehran's midnight. */
export function tehranTimeOfDay(at: number): number {
  return at + TEHRAN_OFFSET_MS - tehranDay(at) * DAY_MS;
}

/** The instant of Tehran's midnight that begins day `day`. */
function tehranMidnight(day: number): number {
  return day * DAY_MS - TEHRAN_OFFSET_MS;
}

/** When a notice made at `at` may go: at once by day, else at the next 08:00 Tehran time. */
export function sendableAt(at: number): number {
  const hour = tehranTimeOfDay(at) / HOUR_MS;
  if (hour >= QUIET_UNTIL_H && hour < QUIET_FROM_H) return at;
  const morningDay = hour >= QUIET_FROM_H ? tehranDay(at) + 1 : tehranDay(at);
  return tehranMidnight(morningDay) + QUIET_UNTIL_H * HOUR_MS;
}

/**
 * A subscription's own moment of the day, from its id (random): the same every day, and spread
 * evenly over the day across subscriptions (FNV-1a, enough to scatter random ids; nothing secret).
 */
export function offsetInDay(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return Math.floor((hash / 0x1_0000_0000) * DAY_MS);
}

/**
 * The next check after one made (or a subscription made) at `at`: the subscription's moment on the
 * next Tehran day, so a plate is checked at most once a day however late a run came.
 */
export function nextCheckAt(id: string, at: number): number {
  return tehranMidnight(tehranDay(at) + 1) + offsetInDay(id);
}
