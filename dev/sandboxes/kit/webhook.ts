/**
 * The citizen's side of a chat: posting an update to the bot's webhook as the messenger would, and
 * reporting how it went rather than failing, so a control call can say the bot did not answer.
 */

/** The webhook's status (0 when it did not answer), how long it took, and why it failed. */
export interface Delivery {
  status: number;
  ms: number;
  error?: string;
}

export async function deliverToWebhook(
  url: string,
  update: { body: BodyInit; headers: Record<string, string> },
  timeoutMs: number,
): Promise<Delivery> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, { method: 'POST', ...update, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer(); // drain, so the connection is reused
    return { status: res.status, ms: ms() };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return {
      status: 0,
      ms: ms(),
      error: timedOut ? 'the webhook did not answer in time' : 'the webhook is unreachable',
    };
  }
}
