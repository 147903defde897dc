import { readFile, mkdir } from 'node:fs/promises';
import { auditDetail } from './audit-detail.js';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { DeviceConfig } from '../../config/schema.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { SegmentInfo } from '../media/types.js';
import type { Database } from '../store/database.js';
import type { Actor } from './audit-log.js';
import { loadOrCreateDeviceKey } from './device-key.js';
import { readDiskSpace, type DiskStatus } from './disk.js';
import { freePercent, storageLevel, storagePolicyFrom } from '../media/storage-policy.js';
import { EvidenceStore } from './evidence-store.js';
import { recoverySweep } from './recovery.js';
import { retentionDecision } from './retention.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface EvidenceServiceOptions {
  config: Pick<DeviceConfig, 'storage' | 'evidence' | 'room' | 'media'>;
  /** The store service's database, read once started. */
  db: () => Database;
  bus: EventBus;
  logger: Logger;
}

const SYSTEM_ACTOR: Actor = { id: 'system', role: 'retention' };

/**
 * The evidence store in the daemon: device key, recovery scan at start, every closed segment
 * catalogued as it is reported, disk space watched, retention applied.
 */
export class EvidenceService implements Service {
  readonly name = 'evidence';
  #store: EvidenceStore | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Registrations in arrival order; stop() waits for them. */
  readonly #pending = new SerialQueue();
  #lastLevel: DiskStatus['level'] = 'ok';
  #lastDisk: DiskStatus | undefined;

  constructor(private readonly options: EvidenceServiceOptions) {}

  get store(): EvidenceStore {
    if (!this.#store) throw new Error('evidence service is not started');
    return this.#store;
  }

  get recordingsDir(): string {
    const { dataDir, recordingsDir } = this.options.config.storage;
    return isAbsolute(recordingsDir) ? recordingsDir : join(resolve(dataDir), recordingsDir);
  }

  async start(): Promise<void> {
    const { config, logger } = this.options;
    const dataDir = resolve(config.storage.dataDir);
    const { key, created } = await loadOrCreateDeviceKey(dataDir, (message) => logger.warn(message));
    logger.info({ fingerprint: key.fingerprint, created }, created ? 'device key generated' : 'device key loaded');
    await mkdir(this.recordingsDir, { recursive: true });
    this.#store = new EvidenceStore({
      db: this.options.db(),
      recordingsDir: this.recordingsDir,
      key,
      device: { id: await deviceId(), room: config.room.id },
      logger,
      exportConfig: config.evidence.export,
    });
    const recovery = await recoverySweep(this.#store.catalog, logger);
    if (recovery.recovered.length || recovery.interrupted.length)
      logger.warn(
        { segments: recovery.recovered.length, recordings: recovery.interrupted },
        'recovery scan registered unreported segments',
      );
    this.#unsubscribe = this.options.bus.on('segmentClosed', (segment) => this.#onSegment(segment));
    // A failed disk check (or a deletion refused by the filesystem) is reported, never a reason not to start.
    await this.checkDisk().catch((error: unknown) => logger.error({ err: describeError(error) }, 'disk check failed'));
    this.#timer = setInterval(
      () =>
        void this.checkDisk().catch((error: unknown) =>
          logger.error({ err: describeError(error) }, 'disk check failed'),
        ),
      config.evidence.disk.checkIntervalSeconds * 1000,
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#timer);
    await this.#pending.idle();
    this.#store = undefined;
  }

  /** Resolves once every segment reported so far is in the catalog (for the session service and tests). */
  settled(): Promise<void> {
    return this.#pending.idle();
  }

  #onSegment(segment: SegmentInfo): void {
    const store = this.#store;
    if (!store) return;
    void this.#pending.run(async () => {
      try {
        const { added } = await store.registerSegment(segment);
        this.options.logger.info(
          {
            recording: segment.recordingId,
            index: segment.index,
            bytes: segment.sizeBytes,
            sha256: segment.sha256,
            added,
          },
          'segment catalogued',
        );
      } catch (error) {
        // Not lost: the file stays on disk and the next start-up scan registers it as recovered.
        this.options.logger.error(
          { recording: segment.recordingId, index: segment.index, err: describeError(error) },
          'segment could not be catalogued',
        );
      }
    });
  }

  /** Free space now; emits `diskLow` when it reaches warn or critical (once per worsening), then applies retention. */
  async checkDisk(): Promise<DiskStatus> {
    const { config, bus, logger } = this.options;
    const space = await readDiskSpace(this.recordingsDir);
    const status: DiskStatus = {
      path: this.recordingsDir,
      ...space,
      level: storageLevel(space, storagePolicyFrom(config)),
      freePercent: Math.round(freePercent(space) * 10) / 10,
    };
    const rank = { ok: 0, warn: 1, critical: 2 } as const;
    if (rank[status.level] > rank[this.#lastLevel]) {
      logger.warn(
        { freeBytes: status.freeBytes, freePercent: status.freePercent, level: status.level },
        'recordings disk is low',
      );
      bus.emit('diskLow', status);
    } else if (status.level === 'ok' && this.#lastLevel !== 'ok') {
      logger.info({ freeBytes: status.freeBytes, freePercent: status.freePercent }, 'recordings disk has room again');
    }
    this.#lastLevel = status.level;
    this.#lastDisk = status;
    if (this.#store && config.evidence.retention.enabled) await this.applyRetention(status);
    return status;
  }

  get lastDisk(): DiskStatus | undefined {
    return this.#lastDisk;
  }

  async applyRetention(space: { freeBytes: number; totalBytes: number }): Promise<string[]> {
    const store = this.store;
    const decision = retentionDecision({
      recordings: await store.catalog.retentionFacts(),
      now: new Date(),
      disk: space,
      retention: this.options.config.evidence.retention,
      targetFreePercent: this.options.config.evidence.disk.warnFreePercent,
    });
    for (const item of decision.delete)
      await store.delete(
        item.id,
        SYSTEM_ACTOR,
        auditDetail({ code: 'delete', reason: item.reason, bytes: item.bytes }),
      );
    if (decision.awaitingExport.length)
      this.options.logger.info(
        { recordings: decision.awaitingExport },
        'recordings past retention kept: no verified export yet',
      );
    return decision.delete.map((d) => d.id);
  }

  /** The session service's AuditPort: identity views and other audited reads outside the evidence store. */
  async record(entry: { actor: string; role: string; action: string; target: string; detail?: string }): Promise<void> {
    await this.store.audit.append(
      { id: entry.actor, role: entry.role },
      entry.action,
      entry.target,
      entry.detail ?? null,
    );
  }

  /** For central monitoring and exports: the device's public key (PEM) and its fingerprint. */
  publicKey(): { pem: string; fingerprint: string } {
    return { pem: this.store.key.publicKeyPem, fingerprint: this.store.key.fingerprint };
  }
}

/** A stable id for this board: systemd's machine id when there is one. */
async function deviceId(): Promise<string> {
  const machineId = await readFile('/etc/machine-id', 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  return machineId || hostname();
}
