import type { SegmentInfo } from '../media/types.js';
import type { SessionContext } from './context.js';
import type { NewEvent, SessionRecord } from './types.js';

/**
 * The one session live in the room, while it is: its signs of life (a heartbeat, the end of each
 * closed segment), which bound a gap after a crash, and the room's events that belong in its timeline.
 */
export class LiveSession {
  #live: { id: string; recordingId: string } | null = null;
  #heartbeat: NodeJS.Timeout | undefined;
  #disposers: (() => void)[] = [];

  constructor(
    private readonly context: SessionContext,
    /** How often the heartbeat is written: the bound on a gap's start error after a crash. */
    private readonly heartbeatMs: number,
  ) {}

  /** Subscribes to what the live session notes from the bus; `stop()` undoes it. */
  listen(): void {
    const { bus, logger, store } = this.context;
    this.#disposers.push(
      bus.on('segmentClosed', (segment: SegmentInfo) => {
        void store
          .segmentClosed(segment.recordingId, segment.endedAt)
          .catch((error: unknown) =>
            logger.error({ err: String(error), recordingId: segment.recordingId }, 'cannot note segment end'),
          );
      }),
      // A preset recalled from the kiosk or the console during a session belongs in its timeline.
      bus.on('ptzPreset', (preset) => {
        if (preset.action === 'recalled')
          this.record({
            type: 'preset-recalled',
            actor: preset.source,
            data: { preset: preset.slot, name: preset.name },
          });
      }),
      // So does a call for the technician: the room's button (which also raises a call) and the touchscreen's call.
      bus.on('roomButton', (button) => {
        if (button === 'callTechnician') this.record({ type: 'technician-called', actor: 'room-button' });
      }),
      bus.on('technicianCall', (call) => {
        if (call.state === 'waiting' && call.source === 'kiosk')
          this.record({ type: 'technician-called', actor: 'kiosk' });
      }),
    );
  }

  /** Unsubscribes; a session live now stays live across a restart, and this last heartbeat makes its gap start exactly now. */
  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    if (this.#live)
      await this.context.store.heartbeat(this.#live.id, this.context.now().toISOString()).catch(() => undefined);
    this.#live = null;
  }

  current(): { id: string } | null {
    return this.#live ? { id: this.#live.id } : null;
  }

  enter(session: SessionRecord): void {
    const { store, logger, now } = this.context;
    this.#live = { id: session.id, recordingId: session.recordingId ?? session.id };
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (!this.#live) return;
      void store
        .heartbeat(this.#live.id, now().toISOString())
        .catch((error: unknown) => logger.error({ err: String(error) }, 'heartbeat write failed'));
    }, this.heartbeatMs);
    this.#heartbeat.unref();
  }

  leave(id: string): void {
    if (this.#live?.id !== id) return;
    this.#live = null;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** Adds an event to the live session's timeline, if a session is live. */
  record(event: Omit<NewEvent, 'at'>): void {
    if (!this.#live) return;
    void this.context.store
      .addEvent(this.#live.id, { ...event, at: this.context.now().toISOString() })
      .catch((error: unknown) =>
        this.context.logger.error({ err: String(error), event: event.type }, 'cannot record session event'),
      );
  }
}
