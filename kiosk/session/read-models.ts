import { describeError } from '../../hal/core/describe-error.js';
import { type SessionContext, sessionById } from './context.js';
import { type EndSummary, endSummaryOf, type RecordingCheck } from './end-summary.js';
import { SessionError } from './errors.js';
import type { IdentityVault } from './identity-vault.js';
import type { RecordingPort } from './ports.js';
import type { CitizenIdentity } from './schemas.js';
import { isFinished } from './state-machine.js';
import type { CitizenRecord, SessionRecord } from './types.js';
import {
  type FleetSessionView,
  fleetViewOfSession,
  type SessionReport,
  type SessionView,
  sessionReport,
  sessionView,
} from './views.js';

/**
 * The session read for each audience: the kiosk, the console, central monitoring, the report and
 * the end summary. Loads the records; what each audience may see is decided in views.ts.
 */
export class SessionReadModels {
  constructor(
    private readonly context: SessionContext,
    private readonly vault: IdentityVault,
    private readonly recordings: Pick<RecordingPort, 'verify'>,
  ) {}

  async kioskView(id: string): Promise<SessionView> {
    return this.#view(await sessionById(this.context, id), false);
  }

  async consoleView(id: string): Promise<SessionView> {
    return this.#view(await sessionById(this.context, id), true);
  }

  async fleetView(id: string): Promise<FleetSessionView> {
    const { store } = this.context;
    const session = await sessionById(this.context, id);
    return fleetViewOfSession(session, await store.cases(id), await store.citizens(id), await store.events(id));
  }

  async report(id: string): Promise<SessionReport> {
    const view = await this.consoleView(id);
    return sessionReport(view, await this.context.store.events(id), this.context.now().toISOString());
  }

  /** When the session first went live, or null. */
  async startedAt(id: string): Promise<string | null> {
    return (await this.context.store.events(id)).find((e) => e.type === 'started')?.at ?? null;
  }

  /** The officer's summary of a finished session, with its recording verified against the signed manifest. */
  async endSummary(id: string): Promise<EndSummary> {
    const session = await sessionById(this.context, id);
    if (!isFinished(session.state))
      throw new SessionError('conflict', 'the session has not ended yet: no summary before the end');
    const events = await this.context.store.events(id);
    let check: RecordingCheck = null;
    if (session.recordingId && this.recordings.verify) {
      check = await this.recordings.verify(session.recordingId).catch((error: unknown) => {
        this.context.logger.error(
          { sessionId: id, err: describeError(error) },
          'end summary: recording could not be verified',
        );
        return null;
      });
    }
    return endSummaryOf(session.state, events, check);
  }

  async #view(session: SessionRecord, forConsole: boolean): Promise<SessionView> {
    const { store } = this.context;
    const nameOf = (citizen: CitizenRecord) =>
      this.vault.open<CitizenIdentity>(citizen.identitySealed, citizen.id).name;
    return sessionView(session, await store.cases(session.id), await store.citizens(session.id), nameOf, {
      withConfidentialSummaries: forConsole,
    });
  }
}
