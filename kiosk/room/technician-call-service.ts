import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { AuditPort } from '../session/ports.js';
import { HttpError } from '../core/http.js';
import { callEvent, callToShow, type TechnicianCall, type TechnicianCallSource } from './technician-call.js';

export interface TechnicianCallServiceOptions {
  bus: EventBus;
  logger: Logger;
  /** Every acknowledgement is written to the evidence store's audit log. */
  audit: AuditPort;
  /** The session live now, if any (the call is noted in its timeline). */
  liveSession: () => { id: string } | null;
  now?: () => Date;
}

/** How many calls the console lists; older ones are in the audit log and central monitoring. */
const KEPT = 50;
/** The touchscreen shows "Cán bộ kỹ thuật đã nhận" this long after the acknowledgement. */
const SHOW_ACKNOWLEDGED_MS = 10 * 60_000;

const callId = z.string().uuid();

/**
 * Calls for the technician: raised from the touchscreen (always, with or without a session) or the
 * room's button, acknowledged from the console, forwarded to central monitoring through the bus.
 * Kept in memory: a call outlives a restart only in the audit log and central monitoring.
 */
export class TechnicianCallService implements Service {
  readonly name = 'technician-calls';
  #calls: TechnicianCall[] = [];
  #disposers: (() => void)[] = [];

  constructor(private readonly options: TechnicianCallServiceOptions) {}

  get #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async start(): Promise<void> {
    this.#disposers.push(
      this.options.bus.on('roomButton', (button) => {
        if (button === 'callTechnician') this.raise('room-button');
      }),
    );
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
  }

  /** Raises a call, or returns the one already waiting: pressing again does not page twice. */
  raise(source: TechnicianCallSource): TechnicianCall {
    const waiting = this.#calls.find((c) => c.state === 'waiting');
    if (waiting) return waiting;
    const call: TechnicianCall = {
      id: randomUUID(),
      source,
      sessionId: this.options.liveSession()?.id ?? null,
      raisedAt: this.#now.toISOString(),
      state: 'waiting',
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    this.#calls = [...this.#calls, call].slice(-KEPT);
    this.options.logger.warn({ callId: call.id, source, sessionId: call.sessionId }, 'technician called');
    this.options.bus.emit('technicianCall', callEvent(call));
    return call;
  }

  /** Audited first: an acknowledgement the audit log cannot hold is refused. */
  async acknowledge(id: string, actor: { user: string; role: string }): Promise<TechnicianCall> {
    const call = this.#calls.find((c) => c.id === id);
    if (!call) throw new HttpError(404, 'not_found', 'no such technician call');
    if (call.state === 'acknowledged') return call;
    await this.options.audit.record({
      actor: actor.user,
      role: actor.role,
      action: 'technician-call-acknowledged',
      target: `technician-call:${id}`,
      ...(call.sessionId ? { detail: `session:${call.sessionId}` } : {}),
    });
    const acknowledged: TechnicianCall = {
      ...call,
      state: 'acknowledged',
      acknowledgedAt: this.#now.toISOString(),
      acknowledgedBy: actor.user,
    };
    this.#calls = this.#calls.map((c) => (c.id === id ? acknowledged : c));
    this.options.logger.info({ callId: id, actor: actor.user }, 'technician call acknowledged');
    this.options.bus.emit('technicianCall', callEvent(acknowledged));
    return acknowledged;
  }

  list(): TechnicianCall[] {
    return [...this.#calls].reverse();
  }

  /** The touchscreen's calls (127.0.0.1): raise one, and see whether it was acknowledged. */
  kioskRouter(): express.Router {
    const router = express.Router();
    router.get('/technician-call', (_req, res) => {
      const call = callToShow(this.#calls, this.#now.getTime(), SHOW_ACKNOWLEDGED_MS);
      res.json({ call: call ? callEvent(call) : null });
    });
    router.post('/technician-call', (_req, res) => {
      res.status(201).json({ call: callEvent(this.raise('kiosk')) });
    });
    return router;
  }

  /** The console's calls: the technician lists and acknowledges (devices.manage). */
  consoleRouter(): express.Router {
    const router = express.Router();
    router.use('/technician-calls', requireCapability('devices.manage'));
    router.get('/technician-calls', (_req, res) => {
      res.json({ calls: this.list() });
    });
    router.post('/technician-calls/:id/acknowledge', async (req, res) => {
      const id = callId.safeParse(req.params.id);
      if (!id.success) throw new HttpError(400, 'bad_request', 'bad technician call id');
      const actor = (req as AuthenticatedRequest).auth!;
      res.json({ call: await this.acknowledge(id.data, actor) });
    });
    return router;
  }
}
