import { chmod, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { SegmentInfo } from '../media/types.js';
import type { Database } from '../store/database.js';
import { AuditLog, type Actor } from './audit-log.js';
import { Catalog, type Recording } from './catalog.js';
import type { DeviceKey } from './device-key.js';
import { exportFolder, ExportError, type ExportResult } from './export.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';
import { writeSignedManifest } from './seal.js';
import { verifyFolder, type VerifyReport } from './verify.js';

export interface EvidenceStoreOptions {
  db: Database;
  recordingsDir: string;
  key: DeviceKey;
  device: { id: string; room: string };
  logger: Logger;
  now?: () => Date;
}

export class EvidenceNotFoundError extends Error {
  override name = 'EvidenceNotFoundError';
}

export class ExportRefusedError extends Error {
  override name = 'ExportRefusedError';
}

/** A sealed manifest is write-once: sealing again, or over another recording's manifest, is refused. */
export class SealRefusedError extends Error {
  override name = 'SealRefusedError';
}

/**
 * The evidence store's operations, shared by the daemon's service and the `diemcau export` command
 * (which runs beside the daemon on the same database): catalog, sealing, verification, export,
 * deletion, each audited.
 */
export class EvidenceStore {
  readonly catalog: Catalog;
  readonly audit: AuditLog;
  readonly #now: () => Date;

  constructor(private readonly options: EvidenceStoreOptions) {
    this.#now = options.now ?? (() => new Date());
    this.catalog = new Catalog(options.db, options.recordingsDir, this.#now);
    this.audit = new AuditLog(options.db, this.#now);
  }

  get key(): DeviceKey {
    return this.options.key;
  }

  registerSegment(segment: SegmentInfo): Promise<{ added: boolean }> {
    return this.catalog.registerSegment(segment);
  }

  recordingDir(recording: Recording): string {
    return join(this.options.recordingsDir, recording.dir);
  }

  async #recording(id: string): Promise<Recording> {
    const recording = await this.catalog.recording(id);
    if (!recording || recording.deletedAt) throw new EvidenceNotFoundError(`no recording ${id}`);
    return recording;
  }

  /**
   * Writes the signed manifest of a finished recording, once. `events` are the session's timeline
   * (the recording service passes them). A recording already sealed, or a folder that already holds
   * a manifest (another recording's, or one written outside the catalogue), is refused.
   */
  async seal(recordingId: string, events?: Record<string, unknown>[]): Promise<Manifest> {
    const sealedAt = this.#now().toISOString();
    const recording = await this.#recording(recordingId);
    if (recording.sealedAt) throw new SealRefusedError(`recording ${recordingId} was sealed at ${recording.sealedAt}; a sealed manifest is never rewritten`);
    const present = await readFile(join(this.recordingDir(recording), MANIFEST_FILE)).catch(() => undefined);
    if (present) {
      const parsed = parseManifest(present);
      const owner = parsed.ok ? parsed.manifest.recording.id : 'unreadable';
      throw new SealRefusedError(`folder ${recording.dir} already holds a manifest (recording ${owner}); recording ${recordingId} was not sealed over it`);
    }
    const segments = await this.catalog.segments(recordingId);
    const recovered = recording.state === 'recovered' || segments.some((s) => s.recovered);
    const state = recovered ? 'recovered' : 'closed';
    const endedAt = segments.at(-1)?.endedAt ?? this.#now().toISOString();
    const keptEvents = events ?? recording.events;
    const manifest = await writeSignedManifest(this.recordingDir(recording), {
      device: this.options.device,
      recording: { id: recording.id, sessionId: recording.sessionId, confidential: recording.confidential, state, startedAt: recording.startedAt, endedAt },
      segments: segments.map((s) => ({ name: basename(s.path), size: s.sizeBytes, sha256: s.sha256, durationSeconds: s.durationSeconds, startedAt: s.startedAt, endedAt: s.endedAt })),
      events: keptEvents,
      createdAt: sealedAt,
    }, this.options.key);
    await this.catalog.markSealed(recordingId, { state, endedAt, events: keptEvents, sealedAt });
    this.options.logger.info({ recording: recordingId, segments: segments.length, state, chainHead: manifest.chainHead }, 'recording sealed');
    return manifest;
  }

  /** A recording cut short by a crash may never have been sealed: seal it before it leaves the device. */
  async #ensureSealed(recording: Recording): Promise<void> {
    if (recording.sealedAt === null) await this.seal(recording.id);
  }

  async verify(recordingId: string, actor: Actor): Promise<VerifyReport> {
    const recording = await this.#recording(recordingId);
    const report = await verifyFolder(this.recordingDir(recording), { pinnedPublicKeyPem: this.options.key.publicKeyPem });
    await this.audit.append(actor, 'verify', recordingId, report.ok ? 'intact' : `${report.findings.length} problems`);
    if (!report.ok) this.options.logger.error({ recording: recordingId, findings: report.findings }, 'recording failed verification');
    return report;
  }

  /**
   * Exports a finished recording to `targetRoot`. Confidential recordings (denunciations) leave the
   * device only encrypted. The export is recorded (exports table, verified=1) only after the copy
   * has been re-read and verified in place.
   */
  async export(recordingId: string, request: { targetRoot: string; actor: Actor; encrypt?: { passphrase: string; cost?: { N: number; r: number; p: number } }; signal?: AbortSignal }): Promise<ExportResult> {
    const recording = await this.#recording(recordingId);
    if (recording.state === 'recording') throw new ExportRefusedError(`recording ${recordingId} is still being recorded; end the session first`);
    if (recording.confidential && !request.encrypt) throw new ExportRefusedError(`recording ${recordingId} is confidential: it can only be exported encrypted (give a passphrase)`);
    await this.#ensureSealed(recording);
    const startedAt = this.#now().toISOString();
    const name = basename(recording.dir) + (request.encrypt ? '.encrypted' : '');
    let result: ExportResult;
    try {
      result = await exportFolder({ sourceDir: this.recordingDir(recording), targetRoot: request.targetRoot, name, key: this.options.key, now: this.#now, ...(request.encrypt ? { encrypt: request.encrypt } : {}), ...(request.signal ? { signal: request.signal } : {}) });
    } catch (error) {
      this.options.logger.error({ recording: recordingId, target: request.targetRoot, err: (error as Error).message, findings: error instanceof ExportError ? error.findings : undefined }, 'export failed');
      throw error;
    }
    if (!result.alreadyExported) {
      await this.catalog.recordExport({ recordingId, target: result.dir, encrypted: result.encrypted, verified: true, bytes: result.bytes, actor: request.actor.id, startedAt, finishedAt: this.#now().toISOString() });
      await this.audit.append(request.actor, 'export', recordingId, `${result.encrypted ? 'encrypted' : 'clear'} to ${result.dir}, ${result.bytes} bytes verified`);
    }
    this.options.logger.info({ recording: recordingId, dir: result.dir, bytes: result.bytes, copied: result.copied, resumed: result.resumed, encrypted: result.encrypted, already: result.alreadyExported }, 'recording exported');
    return result;
  }

  /** Removes a recording's files; only the retention policy calls this, and only for exported recordings. */
  async delete(recordingId: string, actor: Actor, reason: string): Promise<void> {
    const recording = await this.#recording(recordingId);
    const verified = (await this.catalog.exports(recordingId)).some((e) => e.verified);
    if (!verified) throw new ExportRefusedError(`recording ${recordingId} has no verified export and cannot be deleted`);
    await this.audit.append(actor, 'delete', recordingId, reason);
    // A sealed folder is read-only (kiosk/recording/folders.ts): writable again only to be removed.
    await chmod(this.recordingDir(recording), 0o750).catch(() => undefined);
    await rm(this.recordingDir(recording), { recursive: true, force: true });
    await this.catalog.markDeleted(recordingId);
    this.options.logger.warn({ recording: recordingId, reason }, 'recording deleted by retention');
  }
}
