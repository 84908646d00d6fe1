/**
 * What the server counts, for tests and benchmarks: every pipeline request (one round trip of a
 * client) and its statements, and, for each value being watched, the pipelines that pass it as a
 * statement argument (a chat id: the round trips one conversation cost, however many others run).
 * Served at GET /_control/tally and POST /_control/watch on the server's own port (http.ts).
 */

export interface TallyCounts {
  pipelines: number;
  statements: number;
  /** Per watched value: the pipelines that passed it as an argument. */
  watched: Record<string, number>;
}

/** Watched values are kept until the server stops: a test watches a handful. */
const MAX_WATCHED = 10_000;

export class Tally {
  #pipelines = 0;
  #statements = 0;
  readonly #watched = new Map<string, number>();

  watch(value: string): void {
    if (this.#watched.size >= MAX_WATCHED) throw new Error(`at most ${MAX_WATCHED} values are watched`);
    if (!this.#watched.has(value)) this.#watched.set(value, 0);
  }

  /** Counts one pipeline request, from its JSON body as received. */
  record(body: unknown): void {
    this.#pipelines += 1;
    const statements = statementsOf(body);
    this.#statements += statements.length;
    if (this.#watched.size === 0) return;
    const passed = new Set(statements.flatMap(textArgs));
    for (const [value, count] of this.#watched) if (passed.has(value)) this.#watched.set(value, count + 1);
  }

  counts(): TallyCounts {
    return {
      pipelines: this.#pipelines,
      statements: this.#statements,
      watched: Object.fromEntries(this.#watched),
    };
  }
}

type Json = Record<string, unknown>;
const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];

/** The `stmt` objects of a pipeline body: each execute's, and each batch step's. */
function statementsOf(body: unknown): Json[] {
  const requests = objects((body as Json | null)?.requests);
  return requests.flatMap((request) => [
    ...objects([request.stmt]),
    ...objects((request.batch as Json | undefined)?.steps).flatMap((step) => objects([step.stmt])),
  ]);
}

/** A statement's text arguments, positional and named. */
function textArgs(stmt: Json): string[] {
  const values = [...objects(stmt.args), ...objects(stmt.named_args).flatMap((arg) => objects([arg.value]))];
  return values
    .filter((value) => value.type === 'text' && typeof value.value === 'string')
    .map((v) => v.value as string);
}
