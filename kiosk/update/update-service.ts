import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DeviceConfig } from '../../config/schema.js';
import { resolveDataPath } from '../../config/load.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { isUpcoming, type SessionState } from '../session/state-machine.js';
import { describeError } from '../../hal/core/describe-error.js';
import { download } from './download.js';
import { updateGate } from './gate.js';
import { installLayout, updateFiles, type UpdateFiles } from './layout.js';
import { incompatibilities, readReleaseInfo, thisHost } from './release-info.js';
import { loadTrustedKeys, signatureSuffix, verifyArtifact } from './release-signature.js';
import {
  advance,
  isFinal,
  newUpdateId,
  readJson,
  updateRequest,
  updateStatus,
  writeJson,
  type UpdateProblem,
  type UpdateStatus,
} from './status.js';
import { UpdateError } from './update-error.js';

export interface UpdateServiceOptions {
  config: DeviceConfig;
  version: string;
  sessions: {
    activeSession(): { id: string } | null;
    listSchedule(range: { from?: string }): Promise<readonly { id: string; startsAt: string; state: string }[]>;
  };
  bus: EventBus;
  logger: Logger;
}

export interface UpdateSource {
  /** The artifact (http or https); its signature is at the same address + `.sig`. */
  url: string;
}

const reported = z.object({ id: z.string(), state: z.string() }).strict();

/** A step that has not moved for this long belongs to an updater that died: a new request may go. */
const staleAfterMs = 30 * 60_000;

/**
 * The daemon's side of updates: checks that an update may run now (no live session, none soon),
 * downloads the artifact and its signature, checks them (an early, clear refusal; the updater checks
 * again as root), and leaves the request for the updater, which a systemd path unit starts. It
 * reports every step of the status file on the bus (the fleet sends them to central monitoring),
 * including the outcome the updater wrote while this daemon was stopped: once, on the next start.
 */
export class UpdateService implements Service {
  readonly name = 'update';
  readonly files: UpdateFiles;
  #timer: NodeJS.Timeout | undefined;
  #seen = '';
  #working: Promise<void> | undefined;

  constructor(private readonly options: UpdateServiceOptions) {
    this.files = updateFiles(resolveDataPath(options.config, options.config.storage.dataDir));
  }

  async start(): Promise<void> {
    await mkdir(this.files.incoming, { recursive: true, mode: 0o750 });
    await this.#sweepIncoming();
    await this.#watch();
    this.#timer = setInterval(() => void this.#watch(), 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#working?.catch(() => undefined);
  }

  /** Downloads left by an update that ended without its updater removing them (killed, power lost); a pending request's artifact stays. */
  async #sweepIncoming(): Promise<void> {
    const pending = await readJson(this.files.request, updateRequest).catch(() => undefined);
    for (const name of await readdir(this.files.incoming)) {
      const path = join(this.files.incoming, name);
      if (pending && (path === pending.artifact || path === `${pending.artifact}${signatureSuffix}`)) continue;
      await rm(path, { force: true });
    }
  }

  async status(): Promise<UpdateStatus | undefined> {
    return readJson(this.files.status, updateStatus).catch(() => undefined);
  }

  /** Starts an update: refused at once when it may not run now; the download and checks go on in the background. */
  async request(source: UpdateSource, requestedBy: UpdateStatus['requestedBy']): Promise<UpdateStatus> {
    const { version, logger } = this.options;
    const url = parseUrl(source.url);
    const current = await this.status();
    if (
      this.#working ||
      (current && !isFinal(current.state) && Date.now() - Date.parse(current.updatedAt) < staleAfterMs)
    ) {
      throw new UpdateError(
        'conflict',
        'busy',
        `update ${current?.id ?? ''} is in progress (${current?.state ?? 'downloading'})`,
      );
    }
    await this.#gate();
    const now = new Date().toISOString();
    const status: UpdateStatus = {
      id: newUpdateId(),
      state: 'downloading',
      from: version,
      to: null,
      requestedBy,
      startedAt: now,
      updatedAt: now,
      steps: [{ state: 'downloading', at: now }],
    };
    await writeJson(this.files.status, status);
    await this.#watch();
    logger.info({ update: status.id, url: url.origin + url.pathname, via: requestedBy.via }, 'update requested');
    this.#working = this.#prepare(status, url.href).finally(() => {
      this.#working = undefined;
    });
    return status;
  }

  async #gate(): Promise<void> {
    const { config, sessions } = this.options;
    const now = Date.now();
    // A session whose start window has closed without it going live is history, not a reason to wait.
    const from = new Date(now - config.session.startWindow.afterMinutes * 60_000).toISOString();
    const upcoming = (await sessions.listSchedule({ from })).filter((s) => isUpcoming(s.state as SessionState));
    const decision = updateGate({
      live: sessions.activeSession(),
      upcoming,
      now,
      quietMinutes: config.update.quietMinutesBeforeSession,
    });
    if (decision.ok) return;
    const message =
      decision.reason === 'live-session'
        ? `session ${decision.sessionId} is live`
        : `session ${decision.sessionId} starts at ${decision.startsAt}, within ${config.update.quietMinutesBeforeSession} minutes`;
    throw new UpdateError('conflict', decision.reason, message);
  }

  async #prepare(initial: UpdateStatus, url: string): Promise<void> {
    const { config, logger } = this.options;
    let status = initial;
    const to = async (next: Parameters<typeof advance>[1], extra: Parameters<typeof advance>[3] = {}) => {
      status = advance(status, next, new Date().toISOString(), extra);
      await writeJson(this.files.status, status);
      await this.#watch();
    };
    const artifact = join(this.files.incoming, `${status.id}.tar.gz`);
    const refuse = async (problem: UpdateProblem, detail: string) => {
      logger.warn({ update: status.id, problem, detail }, 'update refused');
      await rm(artifact, { force: true });
      await rm(`${artifact}${signatureSuffix}`, { force: true });
      await to('refused', { problem, detail });
    };
    try {
      try {
        const maxBytes = config.update.maxArtifactMegabytes * 1024 * 1024;
        await download(url, artifact, maxBytes);
        // A missing signature is "unsigned", told apart from a download failure.
        await download(`${url}${signatureSuffix}`, `${artifact}${signatureSuffix}`, 4096).catch(() => undefined);
      } catch (error) {
        return await refuse('download-failed', describeError(error));
      }
      await to('verifying');
      const signature = await verifyArtifact(
        artifact,
        await loadTrustedKeys(installLayout(config.update.installRoot).keysDir),
      );
      if (!signature.ok) return await refuse(signature.reason, signature.detail);
      const info = await readReleaseInfo(artifact).catch(() => undefined);
      if (!info) return await refuse('bad-artifact', 'no readable release.json');
      const problems = incompatibilities(info, thisHost());
      if (problems.length > 0) return await refuse('wrong-platform', problems.join('; '));
      if (info.version === this.options.version)
        return await refuse('same-version', `${info.version} is already the running release`);
      // Checked again just before handing over: the download may have taken a while.
      try {
        await this.#gate();
      } catch (error) {
        if (error instanceof UpdateError) return await refuse(error.problem, error.message);
        throw error;
      }
      await writeJson(this.files.request, {
        id: status.id,
        artifact,
        requestedBy: status.requestedBy,
        at: new Date().toISOString(),
      });
      await to('requested', { to: info.version, detail: `signed by key ${signature.keyId}` });
    } catch (error) {
      logger.error({ update: status.id, err: describeError(error) }, 'update request failed');
      await to('failed', { problem: 'internal', detail: describeError(error) }).catch(() => undefined);
    }
  }

  /** Publishes a step not yet published; an outcome only once across restarts (`updates/reported.json`). */
  async #watch(): Promise<void> {
    try {
      const status = await this.status();
      if (!status) return;
      const key = `${status.id}:${status.state}`;
      if (key === this.#seen) return;
      this.#seen = key;
      if (isFinal(status.state)) {
        const last = await readJson(join(this.files.dir, 'reported.json'), reported).catch(() => undefined);
        if (last?.id === status.id && last.state === status.state) return;
        await writeJson(join(this.files.dir, 'reported.json'), { id: status.id, state: status.state });
      }
      this.options.bus.emit('updateProgress', status);
    } catch (error) {
      this.options.logger.debug({ err: describeError(error) }, 'update status not readable');
    }
  }
}

function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpdateError('invalid', 'download-failed', 'url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UpdateError(
      'invalid',
      'download-failed',
      'url must be https:// (or http:// on a trusted network: the signature is what is trusted)',
    );
  return url;
}
