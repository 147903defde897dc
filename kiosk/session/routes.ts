import express, { type Request } from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';
import { actorOf } from './access.js';
import { attendanceInput, caseInput, citizenInput, endInput, kioskEventInput, scheduleInput } from './schemas.js';
import type { SessionService } from './session-service.js';
import type { CitizenRecord } from './types.js';

const param = (req: Request, name: string): string => {
  const value = req.params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > 64)
    throw new DomainError('invalid', 'bad_request', `bad ${name}`);
  return value;
};

/** The touchscreen's calls (127.0.0.1 only). The officer at the kiosk is the actor `kiosk`. */
export function sessionKioskRouter(sessions: SessionService): express.Router {
  const router = express.Router();
  router.get('/session/current', async (_req, res) => {
    const current = await sessions.currentSession();
    const window = current ? sessions.startWindow(current) : undefined;
    res.json({
      session: current ? await sessions.kioskView(current.id) : null,
      // When the session began (its first start): the screen counts the elapsed time from it.
      startedAt: current ? await sessions.startedAt(current.id) : null,
      // When Start is offered, so the screen can say why not yet (or no longer).
      startWindow: window
        ? {
            open: window.ok,
            ...(window.ok ? {} : { code: window.code }),
            opensAt: window.opensAt,
            closesAt: window.closesAt,
          }
        : null,
    });
  });
  // The public schedule board while the room is idle: today and the coming days, changes marked.
  router.get('/schedule/public', async (req, res) => {
    const query = publicRangeQuery.safeParse(req.query);
    if (!query.success) throw new DomainError('invalid', 'bad_query', 'days must be 1…14');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ sessions: await sessions.publicSchedule(query.data.days) });
  });
  // The end-of-session summary: duration, segments sealed and verified, in the session's own words.
  router.get('/session/:id/summary', async (req, res) => {
    res.json({ summary: await sessions.endSummary(param(req, 'id')) });
  });
  router.post('/session/:id/start', async (req, res) => {
    const session = await sessions.startSession(param(req, 'id'), 'kiosk');
    res.json({ session: await sessions.kioskView(session.id) });
  });
  router.post('/session/:id/end', async (req, res) => {
    const { reason } = parseBody(endInput, req);
    const session = await sessions.endSession(param(req, 'id'), 'kiosk', reason);
    res.json({ session: await sessions.kioskView(session.id) });
  });
  // After the recorder stopped by itself (disk full, failure) and the cause was dealt with.
  router.post('/session/:id/recording/resume', async (req, res) => {
    const session = await sessions.resumeRecording(param(req, 'id'), 'kiosk');
    res.json({ session: await sessions.kioskView(session.id) });
  });
  router.post('/session/:id/events', async (req, res) => {
    const input = parseBody(kioskEventInput, req);
    await sessions.addKioskEvent(param(req, 'id'), input, 'kiosk');
    res.status(201).json({ ok: true });
  });
  return router;
}

const publicRangeQuery = z.object({ days: z.coerce.number().int().min(1).max(14).default(7) });

const rangeQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** Fields of a citizen the console lists; the identity is fetched one at a time from /identity. */
const citizenSummary = (citizen: CitizenRecord) => ({
  id: citizen.id,
  caseId: citizen.caseId,
  position: citizen.position,
  role: citizen.role,
  attendance: citizen.attendance,
});

/**
 * The console's calls (LAN, behind the login, which sets `req.auth`). The schedule list is open to
 * every logged-in user (the technician prepares the room for it); cases, citizens and reports need
 * `sessions.manage`; an identity needs `identities.read`, checked and audited by the service.
 */
export function sessionConsoleRouter(sessions: SessionService): express.Router {
  const router = express.Router();
  const actorName = (req: Request) => actorOf(req)?.user ?? 'console';
  const manage = requireCapability('sessions.manage');

  router.get('/schedule', requireCapability('health.read'), async (req, res) => {
    const range = rangeQuery.safeParse(req.query);
    if (!range.success)
      throw new DomainError('invalid', 'bad_query', 'from/to must be ISO 8601 instants with an offset');
    res.json({ sessions: await sessions.listSchedule(range.data) });
  });
  router.post('/schedule', manage, async (req, res) => {
    res.status(201).json({ session: await sessions.createSchedule(parseBody(scheduleInput, req)) });
  });
  router.get('/schedule/:id', manage, async (req, res) => {
    res.json({ session: await sessions.consoleView(param(req, 'id')) });
  });
  router.put('/schedule/:id', manage, async (req, res) => {
    res.json({ session: await sessions.updateSchedule(param(req, 'id'), parseBody(scheduleInput, req)) });
  });
  // Cancelling keeps the record: a scheduled session is part of the reception's history.
  router.delete('/schedule/:id', manage, async (req, res) => {
    res.json({ session: await sessions.cancel(param(req, 'id'), actorName(req)) });
  });
  router.post('/schedule/:id/cases', manage, async (req, res) => {
    res.status(201).json({ case: await sessions.addCase(param(req, 'id'), parseBody(caseInput, req)) });
  });
  router.put('/cases/:caseId', manage, async (req, res) => {
    res.json({ case: await sessions.updateCase(param(req, 'caseId'), parseBody(caseInput, req)) });
  });
  router.post('/cases/:caseId/citizens', manage, async (req, res) => {
    res
      .status(201)
      .json({ citizen: citizenSummary(await sessions.addCitizen(param(req, 'caseId'), parseBody(citizenInput, req))) });
  });
  router.put('/citizens/:id/attendance', manage, async (req, res) => {
    const { attendance } = parseBody(attendanceInput, req);
    res.json({ citizen: citizenSummary(await sessions.setAttendance(param(req, 'id'), attendance)) });
  });
  router.get('/citizens/:id/identity', manage, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ identity: await sessions.readIdentity(param(req, 'id'), actorOf(req)) });
  });
  router.get('/sessions/:id/report', manage, async (req, res) => {
    res.json(await sessions.report(param(req, 'id')));
  });
  return router;
}
