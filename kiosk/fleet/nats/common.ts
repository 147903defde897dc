import { z } from 'zod';
import { SCHEMA_VERSION } from './codec.js';

/** Shapes shared by the message kinds. */

export const version = z.literal(SCHEMA_VERSION);
export const instant = z.iso.datetime({ offset: true });
export const label = (max: number) => z.string().min(1).max(max);
/** An id the room made (a session, a readiness run): opaque, short, never a person's name. */
export const localId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits and ._:- only, at most 100');
export const count = z.number().int().min(0);
export const deviceStatus = z.enum(['ok', 'connecting', 'failed', 'bad-config']);
export const runOutcome = z.enum(['pass', 'warn', 'fail']);
export const runKind = z.enum(['day-before', 'two-hours', 'on-demand']);
export const severity = z.enum(['info', 'warning', 'critical']);
