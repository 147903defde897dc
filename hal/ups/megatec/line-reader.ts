/**
 * Splits a serial byte stream into CR-terminated lines (Megatec replies end with CR). Bytes are
 * kept as latin1 so line noise survives unchanged for the log. A run without CR longer than
 * `maxLength` is dropped: a babbling line must not grow memory.
 */
export class CrLineReader {
  #pending = '';

  constructor(private readonly maxLength = 256) {}

  push(chunk: Buffer): string[] {
    this.#pending += chunk.toString('latin1');
    const parts = this.#pending.split('\r');
    this.#pending = parts.pop() ?? '';
    if (this.#pending.length > this.maxLength) this.#pending = '';
    return parts;
  }

  reset(): void {
    this.#pending = '';
  }
}
