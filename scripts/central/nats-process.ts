import { spawn } from 'node:child_process';

/** A nats-server process started from a config file, with the ports it actually listens on (a config may ask for -1). */
export interface RunningNatsServer {
  pid: number;
  clientPort: number;
  websocketPort: number;
  /** Everything the server logged so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code (null after a signal) whenever the process ends. */
  readonly exited: Promise<number | null>;
}

export interface StartNatsServerOptions {
  configFile: string;
  binary?: string;
  readyTimeoutMs?: number;
  /** Also copy the server's log to this process's stderr. */
  echo?: boolean;
}

const WEBSOCKET = /Listening for websocket clients on wss?:\/\/\S+:(\d+)/;
const CLIENT = /Listening for client connections on \S+:(\d+)/;
const READY = /Server is ready/;

export function startNatsServer(options: StartNatsServerOptions): Promise<RunningNatsServer> {
  const child = spawn(options.binary ?? 'nats-server', ['-c', options.configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let ready = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<RunningNatsServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`nats-server was not ready within ${options.readyTimeoutMs ?? 10_000} ms:\n${log.slice(-2000)}`),
      );
    }, options.readyTimeoutMs ?? 10_000);
    const onData = (chunk: Buffer) => {
      // Kept for output() and error messages: the newest megabyte is enough.
      log = (log + chunk.toString('utf8')).slice(-1024 * 1024);
      if (options.echo) process.stderr.write(chunk);
      if (ready || !READY.test(log)) return;
      ready = true;
      const websocket = WEBSOCKET.exec(log);
      const client = CLIENT.exec(log);
      clearTimeout(timer);
      if (!websocket || !client || child.pid === undefined) {
        child.kill('SIGKILL');
        reject(new Error(`nats-server is ready but did not say where it listens:\n${log.slice(-2000)}`));
        return;
      }
      resolve({
        pid: child.pid,
        clientPort: Number(client[1]),
        websocketPort: Number(websocket[1]),
        output: () => log,
        exited,
        stop: async (graceMs = 5000) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(kill);
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `cannot start nats-server (${error.message}): install the Debian package nats-server (scripts/setup.sh does)`,
        ),
      );
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}) before it was ready:\n${log.slice(-2000)}`));
    });
  });
}
