import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the system temp dir; remove it with `removeTempDir`. */
export const makeTempDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), `diemcau-${prefix}-`));

export const removeTempDir = (dir: string | undefined): Promise<void> =>
  dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
