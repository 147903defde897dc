import { createRequire } from 'node:module';
import type { Logger } from './logger.js';

/** sd_notify: READY/STOPPING/WATCHDOG datagrams to $NOTIFY_SOCKET; a no-op when not run by systemd. */
export interface SystemdNotifier {
  ready(status?: string): void;
  stopping(): void;
  status(text: string): void;
  /** Starts watchdog pings at half of $WATCHDOG_USEC; returns a function that stops them. */
  startWatchdog(isHealthy: () => boolean): () => void;
  /** Releases the socket (it would otherwise keep the process alive after shutdown). */
  close(): void;
}

interface UnixDgramSocket {
  send(buffer: Buffer, offset: number, length: number, path: string, callback?: (error?: Error) => void): void;
  close(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

export function createSystemdNotifier(logger: Logger, env: NodeJS.ProcessEnv = process.env): SystemdNotifier {
  const socketPath = env.NOTIFY_SOCKET;
  if (!socketPath) {
    return { ready() {}, stopping() {}, status() {}, startWatchdog: () => () => undefined, close() {} };
  }
  // Linux abstract sockets are written with a leading '@' in the environment.
  const path = socketPath.startsWith('@') ? `\0${socketPath.slice(1)}` : socketPath;
  const require = createRequire(import.meta.url);
  const unixDgram = require('unix-dgram') as { createSocket(type: 'unix_dgram'): UnixDgramSocket };
  const socket = unixDgram.createSocket('unix_dgram');
  socket.on('error', (error) => logger.warn({ err: error.message }, 'sd_notify failed'));
  const send = (message: string) => {
    const buffer = Buffer.from(message);
    socket.send(buffer, 0, buffer.length, path, (error) => {
      if (error) logger.warn({ err: error.message }, 'sd_notify failed');
    });
  };
  return {
    ready: (status) => send(`READY=1\nMAINPID=${process.pid}${status ? `\nSTATUS=${status}` : ''}`),
    stopping: () => send('STOPPING=1'),
    status: (text) => send(`STATUS=${text}`),
    startWatchdog(isHealthy) {
      const usec = Number(env.WATCHDOG_USEC);
      const watchdogPid = env.WATCHDOG_PID ? Number(env.WATCHDOG_PID) : process.pid;
      if (!Number.isFinite(usec) || usec <= 0 || watchdogPid !== process.pid) return () => undefined;
      // A blocked event loop skips pings, so systemd restarts a hung daemon.
      const timer = setInterval(
        () => {
          if (isHealthy()) send('WATCHDOG=1');
        },
        Math.max(500, Math.floor(usec / 2000)),
      );
      return () => clearInterval(timer);
    },
    close: () => socket.close(),
  };
}
