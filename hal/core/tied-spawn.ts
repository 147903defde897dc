import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * Spawns a helper process (socat, upsd, dummy-ups) that dies with the daemon: through util-linux
 * `setpriv --pdeathsig`, the kernel sends it SIGTERM when its parent goes, even by SIGKILL or a
 * crash, so a restarted daemon never finds yesterday's socat still holding a pty. Under systemd the
 * unit's cgroup would catch them too; this also covers tests, benches and `npm start`.
 */
export function spawnTied(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (!setpriv) return spawn(command, args, options);
  return spawn(setpriv, ['--pdeathsig', 'SIGTERM', '--', command, ...args], options);
}
