/**
 * SQL text analysis: libsql's prepare() silently drops everything after the first statement and
 * aborts the process when handed named bindings for an unnamed parameter, so statements are split
 * and their parameters numbered here, the way SQLite itself does it. Pure functions on text.
 */

interface Token {
  kind: 'word' | 'param' | 'semi' | 'open' | 'close' | 'other';
  start: number;
  end: number;
}

export interface ParsedStatement {
  sql: string;
  /** Parameter names by index (0 = ?1); null for a bare `?`. */
  params: (string | null)[];
  /** The statement's verb, looking through a leading WITH clause, e.g. SELECT, INSERT, EXPLAIN. */
  verb: string;
}

const SPACE = new Set([' ', '\t', '\n', '\f', '\r']);
const isIdStart = (c: string): boolean => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function endOfQuoted(sql: string, start: number, quote: string): number {
  let from = start + 1;
  for (;;) {
    const close = sql.indexOf(quote, from);
    if (close < 0) return sql.length;
    if (sql[close + 1] !== quote) return close + 1;
    from = close + 2;
  }
}

function scanWhile(sql: string, from: number, test: (c: string) => boolean): number {
  let i = from;
  while (i < sql.length && test(sql[i]!)) i++;
  return i;
}

/** Comments and whitespace are dropped; literals and quoted names come out as `other`. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const start = i;
    const c = sql[i]!;
    let kind: Token['kind'] = 'other';
    if (SPACE.has(c)) {
      i++;
      continue;
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
      continue;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
      continue;
    } else if (c === "'" || c === '"' || c === '`') {
      i = endOfQuoted(sql, i, c);
    } else if (c === '[') {
      const close = sql.indexOf(']', i);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === '?') {
      kind = 'param';
      i = scanWhile(sql, i + 1, isDigit);
    } else if ((c === ':' || c === '@' || c === '$') && i + 1 < sql.length && isIdChar(sql[i + 1]!)) {
      kind = 'param';
      i = scanWhile(sql, i + 1, isIdChar);
    } else if (isIdStart(c)) {
      kind = 'word';
      i = scanWhile(sql, i, isIdChar);
    } else if (isDigit(c) || (c === '.' && isDigit(sql[i + 1]))) {
      i = scanWhile(sql, i, (d) => /[0-9A-Za-z_.]/.test(d));
    } else {
      kind = c === ';' ? 'semi' : c === '(' ? 'open' : c === ')' ? 'close' : 'other';
      i++;
    }
    tokens.push({ kind, start, end: i });
  }
  return tokens;
}

// sqlite3_complete()'s state machine (its whitespace column dropped): a semicolon ends a statement
// only when it lands in START, which keeps the semicolons inside a CREATE TRIGGER body.
// Columns: semi, other, EXPLAIN, CREATE, TEMP, TRIGGER, END.
const START = 1;
const TRANSITIONS = [
  [1, 2, 3, 4, 2, 2, 2], // 0 initial
  [1, 2, 3, 4, 2, 2, 2], // 1 start
  [1, 2, 2, 2, 2, 2, 2], // 2 normal
  [1, 3, 2, 4, 2, 2, 2], // 3 explain
  [1, 2, 2, 2, 4, 5, 2], // 4 create
  [6, 5, 5, 5, 5, 5, 5], // 5 trigger
  [6, 5, 5, 5, 5, 5, 7], // 6 semicolon inside a trigger
  [1, 5, 5, 5, 5, 5, 5], // 7 END after such a semicolon
];
const KEYWORD_CLASSES: Record<string, number> = { EXPLAIN: 2, CREATE: 3, TEMP: 4, TEMPORARY: 4, TRIGGER: 5, END: 6 };

function tokenClass(sql: string, token: Token): number {
  if (token.kind === 'semi') return 0;
  if (token.kind !== 'word') return 1;
  return KEYWORD_CLASSES[sql.slice(token.start, token.end).toUpperCase()] ?? 1;
}

export function splitStatements(sql: string): ParsedStatement[] {
  const statements: ParsedStatement[] = [];
  let current: Token[] = [];
  let state = 0;
  for (const token of tokenize(sql)) {
    state = TRANSITIONS[state]![tokenClass(sql, token)]!;
    if (token.kind === 'semi' && state === START) {
      if (current.length > 0) statements.push(parseStatement(sql, current));
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push(parseStatement(sql, current));
  return statements;
}

const MAIN_VERBS = new Set(['SELECT', 'VALUES', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE']);
const MAX_PARAM_INDEX = 32766; // SQLite's default SQLITE_MAX_VARIABLE_NUMBER

function parseStatement(sql: string, tokens: Token[]): ParsedStatement {
  const text = (t: Token): string => sql.slice(t.start, t.end);
  const params: (string | null)[] = [];
  let verb = '';
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (token.kind === 'word' && (verb === '' || (verb === 'WITH' && depth === 0))) {
      const word = text(token).toUpperCase();
      if (verb === '' || MAIN_VERBS.has(word)) verb = word;
    } else if (token.kind === 'param') {
      addParam(params, text(token));
    }
  }
  return { sql: sql.slice(tokens[0]!.start, tokens.at(-1)!.end), params, verb };
}

/** Numbers parameters the way SQLite does: `?` takes the next index, `?N` index N, a repeated name its first index. */
function addParam(params: (string | null)[], name: string): void {
  if (name === '?') {
    params.push(null);
  } else if (name.startsWith('?')) {
    const index = Number(name.slice(1));
    if (index < 1 || index > MAX_PARAM_INDEX) return; // prepare() rejects it before anything is bound
    while (params.length < index) params.push(null);
    params[index - 1] ??= name;
  } else if (!params.includes(name)) {
    params.push(name);
  }
}
