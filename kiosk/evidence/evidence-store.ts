import { chmod, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DomainError, type ErrorCategory } from '../core/domain-error.js';
import type { Logger } from '../core/logger.js';
import type { SegmentInfo } from '../media/types.js';
import type { Database } from '../store/database.js';
import { AuditLog, type Actor } from './audit-log.js';
import { Catalog, type Recording } from './catalog.js';
import type { DeviceKey } from './device-key.js';
import { exportFolder, ExportError, type ExportResult } from './export.js';
import { exportConfig, type ExportConfig } from '../../config/export.js';
import { decideEncryption, type EncryptionRefusal, type EncryptionRequest } from './export-policy.js';
import {
  ExportTargetError,
  listRemovableDrives,
  resolveExportTarget,
  systemDriveSource,
  type DriveSource,
  type RemovableDrive,
} from './removable-drives.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';
import { writeSignedManifest } from './seal.js';
import { verifyFolder, type VerifyReport } from './verify.js';
import { auditDetail } from './audit-detail.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface EvidenceStoreOptions {
  db: Database;
  recordingsDir: string;
  key: DeviceKey;
  device: { id: string; room: string };
  logger: Logger;
  now?: () => Date;
  /** Recipients of confidential exports and the export deadline (config `evidence.export`). */
  exportConfig?: ExportConfig;
  /** Where removable drives are found (lsblk and the mount table unless a test injects another). */
  drives?: DriveSource;
}

export class EvidenceNotFoundError extends DomainError {
  override name = 'EvidenceNotFoundError';
  constructor(message: string) {
    super('not-found', 'not_found', message);
  }
}

export type ExportRefusal = EncryptionRefusal | 'not-finished' | 'bad-target' | 'no-export' | 'empty';

const refusalCategory: Record<ExportRefusal, ErrorCategory> = {
  'passphrase-forbidden': 'forbidden',
  'passphrase-too-short': 'invalid',
  'bad-target': 'invalid',
  'no-recipients': 'conflict',
  'not-finished': 'conflict',
  'no-export': 'conflict',
  empty: 'conflict',
};

/** An export refused before anything is written; the code is `export_refused_<kind>`. */
export class ExportRefusedError extends DomainError {
  override name = 'ExportRefusedError';
  constructor(
    message: string,
    readonly kind: ExportRefusal = 'not-finished',
  ) {
    super(refusalCategory[kind], `export_refused_${kind.replaceAll('-', '_')}`, message);
  }
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
  readonly #drives: DriveSource;

  constructor(private readonly options: EvidenceStoreOptions) {
    this.#now = options.now ?? (() => new Date());
    this.#drives = options.drives ?? systemDriveSource();
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
    if (recording.sealedAt)
      throw new SealRefusedError(
        `recording ${recordingId} was sealed at ${recording.sealedAt}; a sealed manifest is never rewritten`,
      );
    const present = await readFile(join(this.recordingDir(recording), MANIFEST_FILE)).catch(() => undefined);
    if (present) {
      const parsed = parseManifest(present);
      const owner = parsed.ok ? parsed.manifest.recording.id : 'unreadable';
      throw new SealRefusedError(
        `folder ${recording.dir} already holds a manifest (recording ${owner}); recording ${recordingId} was not sealed over it`,
      );
    }
    const segments = await this.catalog.segments(recordingId);
    const recovered = recording.state === 'recovered' || segments.some((s) => s.recovered);
    const state = recovered ? 'recovered' : 'closed';
    const endedAt = segments.at(-1)?.endedAt ?? this.#now().toISOString();
    const keptEvents = events ?? recording.events;
    const manifest = await writeSignedManifest(
      this.recordingDir(recording),
      {
        device: this.options.device,
        recording: {
          id: recording.id,
          sessionId: recording.sessionId,
          confidential: recording.confidential,
          state,
          startedAt: recording.startedAt,
          endedAt,
        },
        segments: segments.map((s) => ({
          name: basename(s.path),
          size: s.sizeBytes,
          sha256: s.sha256,
          durationSeconds: s.durationSeconds,
          startedAt: s.startedAt,
          endedAt: s.endedAt,
        })),
        events: keptEvents,
        createdAt: sealedAt,
      },
      this.options.key,
    );
    await this.catalog.markSealed(recordingId, { state, endedAt, events: keptEvents, sealedAt });
    this.options.logger.info(
      { recording: recordingId, segments: segments.length, state, chainHead: manifest.chainHead },
      'recording sealed',
    );
    return manifest;
  }

  /** A recording cut short by a crash may never have been sealed: seal it before it leaves the device. */
  async #ensureSealed(recording: Recording): Promise<void> {
    if (recording.sealedAt === null) await this.seal(recording.id);
  }

  async verify(recordingId: string, actor: Actor): Promise<VerifyReport> {
    const recording = await this.#recording(recordingId);
    const report = await verifyFolder(this.recordingDir(recording), {
      pinnedPublicKeyPem: this.options.key.publicKeyPem,
    });
    await this.audit.append(
      actor,
      'verify',
      recordingId,
      auditDetail(
        report.ok ? { code: 'verify-intact' } : { code: 'verify-problems', problems: report.findings.length },
      ),
    );
    if (!report.ok)
      this.options.logger.error({ recording: recordingId, findings: report.findings }, 'recording failed verification');
    return report;
  }

  /** The removable drives mounted now that an export may go to, with their free space. */
  removableDrives(): Promise<RemovableDrive[]> {
    return listRemovableDrives(this.#drives);
  }

  /**
   * Exports a finished recording to `targetRoot`, a folder on a mounted removable drive (anything
   * else is refused before a byte is written). Confidential recordings (denunciations) leave the
   * device only as age files, to the configured recipients or, for a role that may read
   * identities, to a passphrase (export-policy.ts). The export is bounded by the configured
   * deadline, and recorded (exports table, verified=1) only after the copy has been re-read and
   * verified in place.
   */
  async export(
    recordingId: string,
    request: { targetRoot: string; actor: Actor; signal?: AbortSignal } & Partial<EncryptionRequest>,
  ): Promise<ExportResult> {
    // The target first: a refused destination is the answer whatever the recording.
    const target = await resolveExportTarget(request.targetRoot, this.#drives).catch((error: unknown) => {
      throw error instanceof ExportTargetError ? new ExportRefusedError(error.message, 'bad-target') : error;
    });
    const recording = await this.#recording(recordingId);
    if (recording.state === 'recording')
      throw new ExportRefusedError(`recording ${recordingId} is still being recorded; end the session first`);
    // A recording without a recorded byte would leave as an empty copy "verified": nothing to export.
    const segments = await this.catalog.segments(recordingId);
    if (!segments.some((segment) => segment.sizeBytes > 0))
      throw new ExportRefusedError(
        `recording ${recordingId} holds no recorded segment: there is nothing to export`,
        'empty',
      );
    const { recipients, timeoutSeconds } = this.options.exportConfig ?? exportConfig.parse({});
    const decision = decideEncryption({
      recordingId,
      confidential: recording.confidential,
      role: request.actor.role,
      recipients,
      request: {
        encrypt: request.encrypt ?? false,
        ...(request.passphrase === undefined ? {} : { passphrase: request.passphrase }),
        ...(request.scryptWorkFactor === undefined ? {} : { scryptWorkFactor: request.scryptWorkFactor }),
      },
    });
    if (!decision.ok) {
      // A technician asking to choose the passphrase of a confidential copy is worth a trace.
      await this.audit.append(
        request.actor,
        'export-refused',
        recordingId,
        auditDetail({ code: 'export-refused', refusal: decision.refusal }),
      );
      throw new ExportRefusedError(decision.message, decision.refusal);
    }
    await this.#ensureSealed(recording);
    const startedAt = this.#now().toISOString();
    const name = basename(recording.dir) + (decision.to ? '.encrypted' : '');
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new Error(`it exceeded the export time limit of ${timeoutSeconds} s (evidence.export.timeoutSeconds)`),
        ),
      timeoutSeconds * 1000,
    );
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    let result: ExportResult;
    try {
      result = await exportFolder({
        sourceDir: this.recordingDir(recording),
        targetRoot: target.dir,
        name,
        key: this.options.key,
        now: this.#now,
        signal,
        ...(decision.to ? { encrypt: decision.to } : {}),
      });
    } catch (error) {
      this.options.logger.error(
        {
          recording: recordingId,
          target: target.dir,
          err: describeError(error),
          findings: error instanceof ExportError ? error.findings : undefined,
        },
        'export failed',
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (!result.alreadyExported) {
      await this.catalog.recordExport({
        recordingId,
        target: result.dir,
        encrypted: result.encrypted,
        verified: true,
        bytes: result.bytes,
        actor: request.actor.id,
        startedAt,
        finishedAt: this.#now().toISOString(),
      });
      const where = { dir: result.dir, drive: target.drive.path, bytes: result.bytes };
      await this.audit.append(
        request.actor,
        'export',
        recordingId,
        auditDetail(
          !decision.to
            ? { code: 'export', encryption: 'clear', ...where }
            : decision.to.kind === 'passphrase'
              ? { code: 'export', encryption: 'passphrase', ...where }
              : {
                  code: 'export',
                  encryption: 'recipients',
                  recipients: decision.to.recipients.map((r) => r.name),
                  ...where,
                },
        ),
      );
    }
    this.options.logger.info(
      {
        recording: recordingId,
        dir: result.dir,
        bytes: result.bytes,
        copied: result.copied,
        resumed: result.resumed,
        encrypted: result.encrypted,
        already: result.alreadyExported,
      },
      'recording exported',
    );
    return result;
  }

  /** Removes a recording's files; only the retention policy calls this, and only for exported recordings. */
  async delete(recordingId: string, actor: Actor, detail: string): Promise<void> {
    const recording = await this.#recording(recordingId);
    const verified = (await this.catalog.exports(recordingId)).some((e) => e.verified);
    if (!verified)
      throw new ExportRefusedError(
        `recording ${recordingId} has no verified export and cannot be deleted`,
        'no-export',
      );
    await this.audit.append(actor, 'delete', recordingId, detail);
    // A sealed folder is read-only (kiosk/recording/folders.ts): writable again only to be removed.
    await chmod(this.recordingDir(recording), 0o750).catch(() => undefined);
    await rm(this.recordingDir(recording), { recursive: true, force: true });
    await this.catalog.markDeleted(recordingId);
    this.options.logger.warn({ recording: recordingId, detail }, 'recording deleted by retention');
  }
}
