import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceConfig } from '../../config/schema.js';
import { resolveDataPath } from '../../config/load.js';
import type { Logger } from '../core/logger.js';
import { runCommand } from '../power/shutdown-command.js';
import { describeError } from '../../hal/core/describe-error.js';
import { backupDatabase, restoreDatabase } from './database-backup.js';
import { waitHealthy } from './health-check.js';
import { installLayout, updateFiles, type InstallLayout, type UpdateFiles } from './layout.js';
import { incompatibilities, readReleaseInfo, thisHost, type HostPlatform } from './release-info.js';
import { loadTrustedKeys, signatureSuffix, verifyArtifact } from './release-signature.js';
import { adoptRelease, linkedVersion, pointLink, pruneReleases, unpackArtifact } from './release-store.js';
import {
  advance,
  isFinal,
  newUpdateId,
  readJson,
  updateRequest,
  updateStatus,
  writeJson,
  type UpdateProblem,
  type UpdateRequest,
  type UpdateState,
  type UpdateStatus,
} from './status.js';

export interface UpdaterOptions {
  config: DeviceConfig;
  logger: Logger;
  /** The platform releases must be built for; this machine's by default. */
  host?: HostPlatform;
}

class Refusal extends Error {
  constructor(
    readonly problem: UpdateProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The updater: a process of its own (diemcau-update.service, root, started by a systemd path unit
 * when the daemon leaves a request), so the daemon being replaced is never the one that switches
 * releases or rolls back. Verify → unpack beside the others → stop the daemon → back the database up
 * → switch `current` → start → wait for health → keep it, or put the previous release and its
 * database back and start that. Every step is written to the status file as it begins.
 */
export class Updater {
  readonly layout: InstallLayout;
  readonly files: UpdateFiles;
  readonly #database: string;
  #status: UpdateStatus | undefined;

  constructor(private readonly options: UpdaterOptions) {
    const { config } = options;
    this.layout = installLayout(config.update.installRoot);
    this.files = updateFiles(resolveDataPath(config, config.storage.dataDir));
    this.#database = resolveDataPath(config, config.storage.database);
  }

  /** The request the daemon left (what the path unit starts the updater for), or undefined. */
  async pendingRequest(): Promise<UpdateRequest | undefined> {
    return readJson(this.files.request, updateRequest);
  }

  /** Applies the daemon's request, or an artifact given by hand at the device (`diemcau update apply FILE`). */
  async apply(
    request: UpdateRequest | { artifact: string; requestedBy: UpdateRequest['requestedBy'] },
  ): Promise<UpdateStatus> {
    const from = (await linkedVersion(this.layout.current)) ?? 'none';
    const now = new Date().toISOString();
    const id = 'id' in request ? request.id : newUpdateId();
    const previous = await readJson(this.files.status, updateStatus).catch(() => undefined);
    this.#status =
      previous?.id === id
        ? previous
        : {
            id,
            state: 'requested',
            from,
            to: null,
            requestedBy: request.requestedBy,
            startedAt: now,
            updatedAt: now,
            steps: [{ state: 'requested', at: now }],
          };
    // Taken over: the path unit must not start a second run for the same request.
    await rm(this.files.request, { force: true });
    try {
      return await this.#guarded(() => this.#run(request.artifact, from));
    } finally {
      // A download the daemon made is the updater's to remove once used (a release by hand is the technician's).
      if ('id' in request)
        for (const file of [request.artifact, `${request.artifact}${signatureSuffix}`])
          await rm(file, { force: true }).catch(() => undefined);
    }
  }

  async #guarded(work: () => Promise<UpdateStatus>): Promise<UpdateStatus> {
    const { logger } = this.options;
    const id = this.#status!.id;
    try {
      return await work();
    } catch (error) {
      if (error instanceof Refusal) {
        logger.warn({ update: id, problem: error.problem, detail: error.message }, 'update refused');
        return this.#to('refused', { problem: error.problem, detail: error.message });
      }
      logger.error({ update: id, err: describeError(error) }, 'update failed');
      return this.#to('failed', { problem: 'internal', detail: describeError(error) });
    }
  }

  async #run(artifact: string, from: string): Promise<UpdateStatus> {
    const { config, logger } = this.options;
    await this.#to('verifying');
    const signature = await verifyArtifact(artifact, await loadTrustedKeys(this.layout.keysDir));
    if (!signature.ok) throw new Refusal(signature.reason, signature.detail);
    const info = await readReleaseInfo(artifact).catch((error: unknown) => {
      throw new Refusal('bad-artifact', `no readable release.json: ${describeError(error)}`);
    });
    const problems = incompatibilities(info, this.options.host ?? thisHost());
    if (problems.length > 0) throw new Refusal('wrong-platform', problems.join('; '));
    if (info.version === from) throw new Refusal('same-version', `${info.version} is already the running release`);
    await this.#to('unpacking', { to: info.version, detail: `signed by key ${signature.keyId}` });
    const staged = await unpackArtifact(this.layout, artifact);
    await adoptRelease(this.layout, staged.dir, staged.info);

    // The daemon refused if a session was live; asked again here, as root, just before it is stopped.
    const live = await this.#liveSession();
    if (live) throw new Refusal('live-session', `session ${live} is live`);
    await this.#to('stopping');
    await this.#daemon('stop');
    // From here the room has no daemon: whatever goes wrong ends with the previous release running again.
    let backup: string | undefined;
    let switched = false;
    try {
      if (
        await stat(this.#database).then(
          (s) => s.size > 0,
          () => false,
        )
      ) {
        await mkdir(this.files.backups, { recursive: true, mode: 0o700 });
        backup = join(this.files.backups, `${from}-before-${info.version}-${this.#status!.id}.sqlite`);
        await this.#to('backing-up', { backup });
        await backupDatabase(this.#database, backup);
      }
      await this.#to('switching');
      if (from !== 'none') await pointLink(this.layout.previous, from);
      switched = true;
      await pointLink(this.layout.current, info.version);
      await this.#to('starting');
      await this.#daemon('start');
      await this.#to('checking-health');
    } catch (error) {
      logger.error(
        { update: this.#status!.id, err: describeError(error) },
        'update interrupted: putting the previous release back',
      );
      return this.#rollBack(
        from,
        switched ? backup : undefined,
        'internal',
        `${this.#status!.state}: ${describeError(error)}`,
      );
    }
    const verdict = await waitHealthy(this.#healthUrl(), info.version, config.update.healthDeadlineSeconds * 1000);
    if (verdict.healthy) {
      const removed = [
        ...(await pruneReleases(this.layout, config.update.keepReleases).catch(() => [])),
        ...(await this.#pruneBackups(config.update.keepReleases)),
      ];
      logger.info({ update: this.#status!.id, from, to: info.version, removed }, 'update succeeded');
      return this.#to('succeeded', { detail: verdict.detail });
    }
    logger.error(
      { update: this.#status!.id, to: info.version, detail: verdict.detail },
      'new release not healthy: rolling back',
    );
    return this.#rollBack(from, backup, 'unhealthy', verdict.detail);
  }

  /** Database backups beyond the newest `keep` (one per update) go with the releases they belonged to. */
  async #pruneBackups(keep: number): Promise<string[]> {
    const names = (await readdir(this.files.backups).catch(() => [] as string[])).filter((n) => n.endsWith('.sqlite'));
    const dated = await Promise.all(
      names.map(async (name) => ({ name, at: (await stat(join(this.files.backups, name))).mtimeMs })),
    );
    const old = dated
      .sort((a, b) => b.at - a.at)
      .slice(keep)
      .map((d) => d.name);
    for (const name of old) await rm(join(this.files.backups, name), { force: true });
    return old;
  }

  /** The previous release and the database as it was before the new release touched it. */
  async #rollBack(
    from: string,
    backup: string | undefined,
    problem: UpdateProblem,
    why: string,
  ): Promise<UpdateStatus> {
    const { config, logger } = this.options;
    await this.#to('rolling-back', { problem, detail: why });
    await this.#daemon('stop');
    if (backup) await restoreDatabase(backup, this.#database);
    if (from === 'none') return this.#to('failed', { problem, detail: `${why}; no previous release to return to` });
    await pointLink(this.layout.current, from);
    await this.#daemon('start');
    const verdict = await waitHealthy(this.#healthUrl(), from, config.update.healthDeadlineSeconds * 1000);
    logger.warn({ update: this.#status!.id, back: from, healthy: verdict.healthy }, 'rolled back');
    if (!verdict.healthy)
      return this.#to('failed', { problem, detail: `${why}; after the rollback ${verdict.detail}` });
    return this.#to('rolled-back', { problem, detail: why });
  }

  /**
   * An update cut short (power lost, the updater killed) after the daemon was stopped: run at boot
   * (diemcau-update.service is also wanted by multi-user.target) and whenever the updater starts,
   * it finishes the job. The new release running is judged like any other; anything else ends with
   * the previous release and its database.
   */
  async resumeInterrupted(): Promise<UpdateStatus | undefined> {
    const status = await readJson(this.files.status, updateStatus).catch(() => undefined);
    if (
      !status ||
      isFinal(status.state) ||
      ['downloading', 'verifying', 'requested', 'unpacking'].includes(status.state)
    )
      return undefined;
    this.#status = status;
    return this.#guarded(() => this.#resume(status));
  }

  async #resume(status: UpdateStatus): Promise<UpdateStatus> {
    const { config, logger } = this.options;
    const current = await linkedVersion(this.layout.current);
    logger.warn(
      { update: status.id, state: status.state, from: status.from, to: status.to, current },
      'update was interrupted: resuming',
    );
    const why = `interrupted while ${status.state}`;
    if (status.state !== 'rolling-back' && status.to && current === status.to) {
      await this.#to('checking-health', { detail: why });
      await this.#daemon('start');
      const verdict = await waitHealthy(this.#healthUrl(), status.to, config.update.healthDeadlineSeconds * 1000);
      if (verdict.healthy) return this.#to('succeeded', { detail: `${verdict.detail} (${why})` });
      return this.#rollBack(status.from, status.backup, 'unhealthy', `${verdict.detail} (${why})`);
    }
    // Before the switch the database was not touched yet; after a switch back it may have been.
    return this.#rollBack(
      status.from,
      status.state === 'rolling-back' ? status.backup : undefined,
      status.problem ?? 'internal',
      why,
    );
  }

  /** The session the running daemon calls live (its kiosk API), if any; none when it does not answer. */
  async #liveSession(): Promise<string | undefined> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.options.config.web.kiosk.port}/api/session/current`, {
        signal: AbortSignal.timeout(5000),
      });
      const body = (await response.json()) as { session?: { id?: string; state?: string } | null };
      return body.session && ['live', 'ending'].includes(body.session.state ?? '') ? body.session.id : undefined;
    } catch {
      return undefined;
    }
  }

  #healthUrl(): string {
    return `http://127.0.0.1:${this.options.config.web.kiosk.port}/api/health`;
  }

  async #daemon(action: 'stop' | 'start'): Promise<void> {
    const argv = this.options.config.update.daemonControl[action];
    const outcome = await runCommand(argv, 120_000);
    // A start that "fails" is judged by the health check; a stop that fails leaves the daemon writing the database.
    if (!outcome.ok && action === 'stop')
      throw new Error(`stopping the daemon failed (${argv.join(' ')}): ${outcome.detail}`);
    if (!outcome.ok) this.options.logger.warn({ argv, outcome: outcome.detail }, 'daemon start command failed');
  }

  async #to(state: UpdateState, extra: Parameters<typeof advance>[3] = {}): Promise<UpdateStatus> {
    this.#status = advance(this.#status!, state, new Date().toISOString(), extra);
    await mkdir(this.files.dir, { recursive: true, mode: 0o750 });
    await writeJson(this.files.status, this.#status);
    this.options.logger.info(
      { update: this.#status.id, state, ...(isFinal(state) ? { outcome: state } : {}) },
      'update step',
    );
    return this.#status;
  }
}
