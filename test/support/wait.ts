/** Waiting on a condition with a deadline, never a fixed sleep: for Node and workerd tests alike. */

/** Polls `check` until it holds; a check that throws counts as "not yet". */
export async function waitFor(check: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`no ${what} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
