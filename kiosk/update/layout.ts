import { join } from 'node:path';

/**
 * Where releases live on a device (README "Update"), under `root` ("/" on a device; a throwaway
 * folder in tests and for image builds):
 *   /opt/diemcau/releases/<version>/   one folder per release, side by side, never edited once adopted
 *   /opt/diemcau/current  → releases/<version>   what systemd runs (replaced by rename: atomic)
 *   /opt/diemcau/previous → releases/<version>   what a rollback returns to
 *   /etc/diemcau/release-keys/*.pem    the Ed25519 public keys releases must be signed with
 */
export interface InstallLayout {
  root: string;
  opt: string;
  releases: string;
  current: string;
  previous: string;
  keysDir: string;
}

export function installLayout(root: string): InstallLayout {
  const opt = join(root, 'opt', 'diemcau');
  return {
    root,
    opt,
    releases: join(opt, 'releases'),
    current: join(opt, 'current'),
    previous: join(opt, 'previous'),
    keysDir: join(root, 'etc', 'diemcau', 'release-keys'),
  };
}

/**
 * The updater's own files, in the daemon's data folder (`storage.dataDir`/updates): the request the
 * daemon leaves for the updater (a systemd path unit starts it), the status both report from,
 * downloaded artifacts, and database backups taken before each update.
 */
export interface UpdateFiles {
  dir: string;
  request: string;
  status: string;
  incoming: string;
  backups: string;
}

export function updateFiles(dataDir: string): UpdateFiles {
  const dir = join(dataDir, 'updates');
  return {
    dir,
    request: join(dir, 'request.json'),
    status: join(dir, 'status.json'),
    incoming: join(dir, 'incoming'),
    backups: join(dir, 'backups'),
  };
}
