import { describeError } from '../../hal/core/describe-error.js';
import { type Actor, mayReadConfidential } from './access.js';
import { type SessionContext, sessionById } from './context.js';
import { SessionError } from './errors.js';
import type { IdentityVault } from './identity-vault.js';
import type { AuditPort, RecordingPort } from './ports.js';
import type { Attendance, CaseInput, CitizenIdentity, CitizenInput } from './schemas.js';
import type { CaseRecord, CitizenRecord, SessionRecord } from './types.js';

/**
 * A session's cases (vụ việc) and the citizens in them. A citizen's identity is sealed by the
 * vault as it is stored and opened only here, one at a time, for an allowed and audited reader.
 */
export class CasesAndCitizens {
  constructor(
    private readonly context: SessionContext,
    private readonly vault: IdentityVault,
    private readonly recordings: Pick<RecordingPort, 'raiseConfidentiality'>,
    private readonly audit: AuditPort,
  ) {}

  async addCase(sessionId: string, input: CaseInput): Promise<CaseRecord> {
    const session = await sessionById(this.context, sessionId);
    const added = await this.context.store.addCase(sessionId, input, this.context.now().toISOString());
    await this.#raiseRecordingConfidentiality(session, added);
    return added;
  }

  async updateCase(caseId: string, input: CaseInput): Promise<CaseRecord> {
    const { store } = this.context;
    const existing = await store.getCase(caseId);
    if (!existing) throw new SessionError('not_found', 'no such case');
    if (existing.type === 'TC' && input.type !== 'TC')
      throw new SessionError(
        'conflict',
        'a denunciation cannot be changed into another type: its identities stay confidential',
      );
    const updated = await store.updateCase(caseId, input, this.context.now().toISOString());
    await this.#raiseRecordingConfidentiality(await sessionById(this.context, updated.sessionId), updated);
    return updated;
  }

  /** A confidential case added after the recording began makes the recording confidential too (never the reverse). */
  async #raiseRecordingConfidentiality(session: SessionRecord, caseRecord: CaseRecord): Promise<void> {
    if (!caseRecord.confidential || !session.recordingId) return;
    await this.recordings.raiseConfidentiality(session.recordingId);
  }

  async addCitizen(caseId: string, input: CitizenInput): Promise<CitizenRecord> {
    const { store } = this.context;
    const caseRecord = await store.getCase(caseId);
    if (!caseRecord) throw new SessionError('not_found', 'no such case');
    return store.addCitizen(
      caseRecord,
      input.role,
      input.attendance,
      (citizenId) => this.vault.seal(input.identity, citizenId),
      this.context.now().toISOString(),
    );
  }

  async setAttendance(citizenId: string, attendance: Attendance): Promise<CitizenRecord> {
    const updated = await this.context.store.setAttendance(citizenId, attendance, this.context.now().toISOString());
    if (!updated) throw new SessionError('not_found', 'no such citizen');
    return updated;
  }

  /**
   * Opens one citizen's identity for the console. A confidential one needs an allowed role and
   * is written to the audit log first: if the audit cannot be written, nobody reads it.
   */
  async readIdentity(citizenId: string, actor: Actor | undefined): Promise<CitizenIdentity> {
    const { store, logger } = this.context;
    const citizen = await store.getCitizen(citizenId);
    if (!citizen) throw new SessionError('not_found', 'no such citizen');
    const caseRecord = await store.getCase(citizen.caseId);
    // A denouncer is protected whatever the case type says.
    const confidential = caseRecord?.confidential !== false || citizen.role === 'denouncer';
    if (!actor) throw new SessionError('forbidden', 'reading an identity needs a console login');
    if (confidential && !mayReadConfidential(actor))
      throw new SessionError('forbidden', 'this identity is confidential; your role may not read it');
    // Every identity read is audited, confidential or not: the audit log is the record of who saw whom.
    try {
      await this.audit.record({
        actor: actor.user,
        role: actor.role,
        action: 'identity-view',
        target: `citizen:${citizen.id}`,
        detail: `session:${citizen.sessionId}`,
      });
    } catch (error) {
      logger.error({ err: describeError(error), citizenId: citizen.id }, 'identity read refused: audit not written');
      throw new SessionError('unavailable', 'the audit log cannot record this read, so it is refused');
    }
    logger.info({ actor: actor.user, role: actor.role, citizenId: citizen.id, confidential }, 'identity read');
    return this.vault.open<CitizenIdentity>(citizen.identitySealed, citizen.id);
  }
}
