import { execFile } from 'node:child_process';

export interface CommandOutcome {
  ok: boolean;
  /** Exit code, signal or spawn error, for the log. */
  detail: string;
}

/** Runs an argv without a shell (nothing in it is interpreted) and reports how it ended; never throws. */
export function runCommand(argv: readonly string[], timeoutMs = 60_000): Promise<CommandOutcome> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve({ ok: false, detail: 'empty command' });
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
      if (!error) {
        resolve({ ok: true, detail: 'exit 0' });
        return;
      }
      const failure = error as NodeJS.ErrnoException & { code?: number | string; signal?: string };
      const how = failure.signal
        ? `signal ${failure.signal}`
        : typeof failure.code === 'number'
          ? `exit ${failure.code}`
          : String(failure.code ?? failure.message);
      resolve({ ok: false, detail: `${how}${stderr ? `: ${String(stderr).trim().slice(0, 200)}` : ''}` });
    });
  });
}
