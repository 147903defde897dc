export const h = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
export const hex = (bytes: Buffer): string =>
  bytes
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1 ');

/** Fast reconnects so unplug-and-return tests finish quickly; no jitter so they are repeatable. */
export const testBackoff = { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 };
