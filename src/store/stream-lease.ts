/**
 * The lease on a messenger's update stream: one reader at a time across every isolate and process
 * (an expiring lease, taken in one upsert as conversations.ts takes a chat's), and the position it
 * reached, handed to the next holder.
 */
import { and, eq, lt } from 'drizzle-orm';
import type { Store } from './db.ts';
import { streamLeases } from './schema.ts';

/** Where the stream got to. */
export interface StreamPosition {
  lastEventId: string | null;
  /** When the last message came, in ms since the epoch. */
  lastMessageAt: number;
}

const isHeldBy = (name: string, owner: string) => and(eq(streamLeases.name, name), eq(streamLeases.leaseOwner, owner));

/**
 * Takes the stream's lease until `now + ttlMs` (creating its row on first use, with the silence
 * counted from now).
 * @returns where the stream got to, or null when another reader holds a lease that has not expired
 */
export async function acquireStreamLease(
  { db }: Pick<Store, 'db'>,
  name: string,
  owner: string,
  now: number,
  ttlMs: number,
): Promise<StreamPosition | null> {
  const [row] = await db
    .insert(streamLeases)
    .values({ name, leaseOwner: owner, leaseUntil: now + ttlMs, lastMessageAt: now })
    .onConflictDoUpdate({
      target: streamLeases.name,
      set: { leaseOwner: owner, leaseUntil: now + ttlMs },
      setWhere: lt(streamLeases.leaseUntil, now),
    })
    .returning({ lastEventId: streamLeases.lastEventId, lastMessageAt: streamLeases.lastMessageAt });
  return row ?? null;
}

/**
 * Extends the lease and records the position.
 * @returns false when the lease is no longer this owner's (it expired and another reader took it)
 */
export async function renewStreamLease(
  { db }: Pick<Store, 'db'>,
  name: string,
  owner: string,
  position: StreamPosition,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const renewed = await db
    .update(streamLeases)
    .set({ leaseUntil: now + ttlMs, ...position })
    .where(isHeldBy(name, owner))
    .returning({ name: streamLeases.name });
  return renewed.length === 1;
}

/** Records the position and lets the lease go, so the next reader need not wait for it to expire. */
export async function releaseStreamLease(
  { db }: Pick<Store, 'db'>,
  name: string,
  owner: string,
  position: StreamPosition,
): Promise<void> {
  await db
    .update(streamLeases)
    .set({ leaseOwner: null, leaseUntil: 0, ...position })
    .where(isHeldBy(name, owner));
}
