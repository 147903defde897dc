/** One `diemcau` sub-command. `run` returns the exit code; usage errors throw UsageError. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
