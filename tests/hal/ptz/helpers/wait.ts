/** Polls `check` until it returns true (bounded), instead of sleeping a fixed time. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const h = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
export const hex = (bytes: Buffer): string => bytes.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

/** Fast reconnects so unplug-and-return tests finish quickly; no jitter so they are repeatable. */
export const testBackoff = { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 };
