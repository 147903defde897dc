import type { ChildProcess } from 'node:child_process';
import { spawnTied } from '../tied-spawn.js';

export interface PtyPair {
  /** The two ends, as socat reports them (/dev/pts/N). */
  paths: [string, string];
  /** Stable symlinks to the ends when `links` were asked for (they survive a re-plug, like /dev/serial/by-id). */
  links?: [string, string];
  process: ChildProcess;
  /** Kills socat: both ends vanish, as when a USB-serial adapter is pulled. */
  close(): Promise<void>;
}

const PTY_LINE = /PTY is (\S+)/g;

/**
 * Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two pty paths from its stderr.
 * A pty has no baud rate: bytes pass as fast as the kernel moves them.
 */
export function openPtyPair(options: { links?: [string, string]; timeoutMs?: number } = {}): Promise<PtyPair> {
  const end = (link: string | undefined) => `pty,raw,echo=0${link ? `,link=${link}` : ''}`;
  const child = spawnTied('socat', ['-d', '-d', end(options.links?.[0]), end(options.links?.[1])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise<PtyPair>((resolve, reject) => {
    let stderr = '';
    let ready = false;
    const paths: string[] = [];
    const timer = setTimeout(
      () => fail(new Error(`socat did not report two ptys within ${options.timeoutMs ?? 5000} ms: ${stderr.trim()}`)),
      options.timeoutMs ?? 5000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      void close();
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => {
      if (!ready) fail(new Error(`socat exited (${code}) before reporting its ptys: ${stderr.trim()}`));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      if (ready) return;
      stderr += text;
      paths.splice(0, paths.length, ...Array.from(stderr.matchAll(PTY_LINE), (m) => m[1]!));
      // socat creates the links, then prints "starting data transfer loop": only then are both ends usable.
      if (paths.length >= 2 && /starting data transfer loop/.test(stderr)) {
        ready = true;
        clearTimeout(timer);
        resolve({
          paths: [paths[0]!, paths[1]!],
          ...(options.links ? { links: options.links } : {}),
          process: child,
          close,
        });
      }
    });
  });
}
