/**
 * The NUT network protocol (upsd, TCP 3493), pure: request lines out, reply lines in. No I/O here.
 *
 * Words containing spaces, quotes or backslashes travel inside double quotes, with `\"` and `\\`
 * escapes (NUT developer guide, "Network protocol information"). Every request is one line ended by
 * LF; every reply is one line, except LIST which is framed by BEGIN LIST … / END LIST ….
 */

/** Error words upsd sends as `ERR <code> [extra]`. */
export const nutErrorCodes = [
  'ACCESS-DENIED',
  'UNKNOWN-UPS',
  'VAR-NOT-SUPPORTED',
  'CMD-NOT-SUPPORTED',
  'INVALID-ARGUMENT',
  'INSTCMD-FAILED',
  'SET-FAILED',
  'READONLY',
  'TOO-LONG',
  'FEATURE-NOT-SUPPORTED',
  'FEATURE-NOT-CONFIGURED',
  'ALREADY-SSL-MODE',
  'DRIVER-NOT-CONNECTED',
  'DATA-STALE',
  'ALREADY-LOGGED-IN',
  'INVALID-PASSWORD',
  'ALREADY-SET-PASSWORD',
  'INVALID-USERNAME',
  'ALREADY-SET-USERNAME',
  'USERNAME-REQUIRED',
  'PASSWORD-REQUIRED',
  'UNKNOWN-COMMAND',
  'INVALID-VALUE',
] as const;
export type NutErrorCode = (typeof nutErrorCodes)[number];

/** What a caller does about an error: the categories the driver acts on. */
export type NutErrorCategory =
  /** upsd is up but has no fresh data from the UPS: "communication lost", not a socket problem. */
  | 'communication'
  /** Credentials or host not allowed: a technician must fix the config. */
  | 'authentication'
  /** The UPS name is not served by this upsd: config. */
  | 'unknown-ups'
  /** upsd cannot do what we asked (e.g. STARTTLS without a certificate). */
  | 'unsupported'
  | 'other';

const categoryOf: Partial<Record<NutErrorCode, NutErrorCategory>> = {
  'DATA-STALE': 'communication',
  'DRIVER-NOT-CONNECTED': 'communication',
  'ACCESS-DENIED': 'authentication',
  'INVALID-PASSWORD': 'authentication',
  'INVALID-USERNAME': 'authentication',
  'USERNAME-REQUIRED': 'authentication',
  'PASSWORD-REQUIRED': 'authentication',
  'UNKNOWN-UPS': 'unknown-ups',
  'FEATURE-NOT-SUPPORTED': 'unsupported',
  'FEATURE-NOT-CONFIGURED': 'unsupported',
  'UNKNOWN-COMMAND': 'unsupported',
};

/** An `ERR` reply from upsd. `code` is kept verbatim even when this build does not know it. */
export class NutError extends Error {
  override name = 'NutError';
  readonly category: NutErrorCategory;

  constructor(
    readonly code: NutErrorCode | (string & {}),
    readonly extra?: string,
  ) {
    super(`upsd replied ERR ${code}${extra ? ` ${extra}` : ''}`);
    this.category = categoryOf[code as NutErrorCode] ?? 'other';
  }
}

/** The line did not follow the protocol (framing, missing words, unexpected reply). */
export class NutProtocolError extends Error {
  override name = 'NutProtocolError';
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Quotes a word when it needs it; refuses line breaks, which would let a value inject a command. */
export function quoteWord(word: string): string {
  if (/[\r\n\0]/.test(word)) throw new NutProtocolError('a NUT word cannot contain a line break or NUL');
  if (word !== '' && !/[\s"\\]/.test(word)) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function line(...words: string[]): string {
  return `${words.map(quoteWord).join(' ')}\n`;
}

export const nutRequest = {
  listVar: (ups: string) => line('LIST', 'VAR', ups),
  getVar: (ups: string, variable: string) => line('GET', 'VAR', ups, variable),
  username: (name: string) => line('USERNAME', name),
  password: (password: string) => line('PASSWORD', password),
  /** Registers this connection as a secondary (formerly "slave") of the UPS's primary. */
  login: (ups: string) => line('LOGIN', ups),
  starttls: () => line('STARTTLS'),
  logout: () => line('LOGOUT'),
} as const;

// ---------------------------------------------------------------------------------------------
// Replies

/** Splits a reply line into words, undoing quotes and escapes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) throw new NutProtocolError('line ends inside an escape');
      current += next;
      inWord = true;
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      else current += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      inWord = true;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += c;
    inWord = true;
  }
  if (quoted) throw new NutProtocolError('unterminated quote');
  if (inWord) words.push(current);
  return words;
}

export type NutReply =
  | { type: 'var'; ups: string; name: string; value: string }
  | { type: 'ok'; text: string }
  | { type: 'error'; error: NutError }
  | { type: 'begin-list'; list: string; args: string[] }
  | { type: 'end-list'; list: string; args: string[] }
  | { type: 'other'; words: string[] };

/** Parses one reply line (without its line end; a trailing CR is tolerated). */
export function parseReplyLine(raw: string): NutReply {
  const words = splitWords(raw.replace(/\r$/, ''));
  const [head, ...rest] = words;
  switch (head) {
    case 'VAR': {
      if (rest.length !== 3) throw new NutProtocolError(`VAR reply needs 3 words, got ${rest.length}`);
      const [ups, name, value] = rest as [string, string, string];
      return { type: 'var', ups, name, value };
    }
    case 'OK':
      return { type: 'ok', text: rest.join(' ') };
    case 'ERR': {
      const [code, ...extra] = rest;
      if (!code) throw new NutProtocolError('ERR without a code');
      return { type: 'error', error: new NutError(code, extra.length ? extra.join(' ') : undefined) };
    }
    case 'BEGIN':
    case 'END': {
      if (rest[0] !== 'LIST' || rest.length < 2) throw new NutProtocolError(`malformed ${head} line`);
      const [, list, ...args] = rest as [string, string, ...string[]];
      return { type: head === 'BEGIN' ? 'begin-list' : 'end-list', list, args };
    }
    default:
      return { type: 'other', words };
  }
}

/**
 * Collects the lines of one `LIST VAR <ups>` reply. Feed lines in order; `feed` returns the variables
 * once END LIST VAR arrives, or throws the upsd error (the reply to LIST may be a single ERR line).
 */
export class ListVarCollector {
  readonly #ups: string;
  readonly #vars = new Map<string, string>();
  #begun = false;

  constructor(ups: string) {
    this.#ups = ups;
  }

  feed(raw: string): Map<string, string> | undefined {
    const reply = parseReplyLine(raw);
    if (reply.type === 'error') throw reply.error;
    if (!this.#begun) {
      if (reply.type !== 'begin-list' || reply.list !== 'VAR' || reply.args[0] !== this.#ups) {
        throw new NutProtocolError(`expected BEGIN LIST VAR ${this.#ups}, got: ${raw}`);
      }
      this.#begun = true;
      return undefined;
    }
    if (reply.type === 'var' && reply.ups === this.#ups) {
      this.#vars.set(reply.name, reply.value);
      return undefined;
    }
    if (reply.type === 'end-list' && reply.list === 'VAR' && reply.args[0] === this.#ups) return this.#vars;
    throw new NutProtocolError(`unexpected line inside LIST VAR ${this.#ups}: ${raw}`);
  }
}

/** The value of a `GET VAR` reply, or the upsd error thrown. */
export function parseGetVarReply(raw: string, ups: string, variable: string): string {
  const reply = parseReplyLine(raw);
  if (reply.type === 'error') throw reply.error;
  if (reply.type === 'var' && reply.ups === ups && reply.name === variable) return reply.value;
  throw new NutProtocolError(`expected VAR ${ups} ${variable}, got: ${raw}`);
}

/** An `OK…` reply, or the upsd error thrown (USERNAME, PASSWORD, LOGIN, STARTTLS, LOGOUT). */
export function expectOk(raw: string): string {
  const reply = parseReplyLine(raw);
  if (reply.type === 'error') throw reply.error;
  if (reply.type === 'ok') return reply.text;
  throw new NutProtocolError(`expected OK, got: ${raw}`);
}
