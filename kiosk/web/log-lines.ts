/** pino's level numbers; the daemon's logger writes the label (kiosk/core/logger.ts). */
const levels: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** A pino line as the console shows it: time, level, component, message, the rest as context. */
export function parseLine(line: string): {
  at: string | null;
  level: number | null;
  component: string | null;
  msg: string;
  context: Record<string, unknown>;
} {
  try {
    const {
      time,
      level,
      component,
      msg,
      pid: _pid,
      hostname: _host,
      svc: _svc,
      ...context
    } = JSON.parse(line) as Record<string, unknown>;
    return {
      at: typeof time === 'number' || typeof time === 'string' ? new Date(time).toISOString() : null,
      level: typeof level === 'number' ? level : typeof level === 'string' ? (levels[level] ?? null) : null,
      component: typeof component === 'string' ? component : null,
      msg: typeof msg === 'string' ? msg : '',
      context,
    };
  } catch {
    return { at: null, level: null, component: null, msg: line, context: {} };
  }
}
