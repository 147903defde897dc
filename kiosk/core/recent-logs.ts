import { Writable } from 'node:stream';

/**
 * The daemon's newest log lines, kept in memory for central monitoring's `recent-logs` command
 * (the journal itself stays on the device). Lines are redacted again when they are read: the
 * logger already censors its known fields, this catches what a free-text message might carry.
 */
export class RecentLogs extends Writable {
  readonly #lines: string[] = [];
  #next = 0;
  #pending = '';

  constructor(readonly capacity = 2000) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.#pending + String(chunk);
    const parts = text.split('\n');
    this.#pending = parts.pop() ?? '';
    for (const line of parts) if (line.length > 0) this.#push(line);
    callback();
  }

  #push(line: string): void {
    if (this.#lines.length < this.capacity) this.#lines.push(line);
    else this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** The newest `count` lines, oldest first, each redacted. */
  newest(count: number): string[] {
    const ordered =
      this.#lines.length < this.capacity
        ? this.#lines
        : [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
    return ordered.slice(-count).map(redactLogLine);
  }
}

/** Field names whose values never leave the device, whatever their nesting (compared lower-case). */
const secretKeys = new Set([
  'password',
  'passphrase',
  'token',
  'credential',
  'authorization',
  'cookie',
  'seed',
  'secret',
  'denouncer',
  'identity',
  'citizenname',
  'idnumber',
  'name',
  'fullname',
  'phone',
  'email',
  'address',
  'title',
]);

/** Shapes of secrets and personal data in free text: nkey seeds, PEM keys, bearer tokens, session cookies, e-mail, Vietnamese ID and phone numbers. */
const secretPatterns: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[private key]'],
  [/\bS[A-Z][A-Z2-7]{56}\b/g, '[seed]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/\b(diemcau_session|session)=[^;\s"]+/gi, '$1=[redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // CCCD (12 digits), CMND (9), phone numbers (0 or +84 and 9–10 digits): no event or device id has this shape.
  [/(?<![\w-])(\+84|0)\d{9,10}(?![\w-])/g, '[phone]'],
  [/(?<![\w-])\d{9}(\d{3})?(?![\w-])/g, '[id number]'],
];

function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}

function redactValue(value: unknown, key?: string): unknown {
  if (
    key !== undefined &&
    secretKeys.has(key.toLowerCase()) &&
    value !== null &&
    typeof value !== 'boolean' &&
    typeof value !== 'number'
  )
    return '[redacted]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  return value;
}

/**
 * One journal line as it may leave the device: JSON lines field by field (the log's own `name`
 * fields of services are not personal: `svc`, `component`, `msg` are kept), anything else as text.
 */
export function redactLogLine(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return JSON.stringify(redactValue(parsed));
  } catch {
    // Not JSON: a line a library printed by itself.
  }
  return redactText(line);
}
