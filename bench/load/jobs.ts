/**
 * What the bench asks of its load process, and what comes back: the jobs (closed-loop webhooks,
 * open-loop webhooks at a fixed rate, scripted conversations) and their raw timings.
 */

/** Where the target's webhook is, and how a Bot-API messenger posts to it. */
export interface Target {
  webhookUrl: string;
  /** Sent as X-Telegram-Bot-Api-Secret-Token (Pishkhan checks it; the others ignore it). */
  secretToken: string;
}

export type Job =
  /** `requests` text updates over `connections` connections, each sent when the previous answer came. */
  | { kind: 'closed'; target: Target; requests: number; connections: number; chats: number; firstChat: number }
  /** Text updates at `rate` per second for `durationMs`, each sent at its time whatever came back. */
  | { kind: 'open'; target: Target; rate: number; durationMs: number; firstChat: number }
  /**
   * `citizens` at once, each through `each` conversations of `steps`, a fresh chat each time, a step
   * sent once the previous one's replies are in (`replies[i]` of them for step i).
   */
  | {
      kind: 'conversations';
      target: Target;
      citizens: number;
      each: number;
      steps: readonly string[];
      replies: readonly number[];
      firstChat: number;
    }
  /** One conversation, step by step, counting the replies each step gets (until none came for `quietMs`). */
  | { kind: 'calibrate'; target: Target; steps: readonly string[]; chat: number; quietMs: number };

export interface WebhookTimings {
  /** Per request: ms from its (scheduled) send to its answer; status 0 when none came. */
  answerMs: number[];
  status: number[];
  /** From the first send to the last answer. */
  elapsedMs: number;
  /** The replies each chat was to get, and got (after the run, once they stopped coming). */
  expected: number;
  received: number;
  /** Chats that got more replies than they were sent updates, and by how many in all. */
  extra: number;
}

export interface ConversationTimings {
  /** Per step: ms from its webhook's send to its last reply. */
  stepMs: number[];
  conversations: number;
  /** Steps whose replies did not all come within the wait. */
  stalled: number;
  elapsedMs: number;
  updates: number;
  expected: number;
  received: number;
  extra: number;
}

export type JobResult =
  | ({ kind: 'closed' } & WebhookTimings)
  | ({ kind: 'open' } & WebhookTimings)
  | ({ kind: 'conversations' } & ConversationTimings)
  | { kind: 'calibrate'; replies: number[] };

/** What the bench sends its load process. */
export type LoadMessage = { type: 'messenger' } | { type: 'job'; job: Job };
