/**
 * Is the release that was just started healthy? Its daemon answers `/api/health` on the kiosk port,
 * reports the version that was installed (not the old one still shutting down), and every one of its
 * services is running. Devices are not judged: a camera unplugged in the room is not a bad release,
 * and rolling back would not plug it in.
 */
export interface HealthVerdict {
  healthy: boolean;
  detail: string;
}

/** Pure: the verdict on one answer of /api/health. */
export function judgeHealth(report: unknown, expectedVersion: string): HealthVerdict {
  const body = report as { version?: unknown; services?: { name?: unknown; state?: unknown }[] } | null;
  if (!body || typeof body !== 'object') return { healthy: false, detail: 'health answer is not an object' };
  if (body.version !== expectedVersion)
    return { healthy: false, detail: `version ${String(body.version)} answers, not ${expectedVersion}` };
  const services = Array.isArray(body.services) ? body.services : [];
  if (services.length === 0) return { healthy: false, detail: 'no services reported' };
  const down = services.filter((s) => s.state !== 'running').map((s) => `${String(s.name)}: ${String(s.state)}`);
  if (down.length > 0) return { healthy: false, detail: `services not running: ${down.join(', ')}` };
  return { healthy: true, detail: `${expectedVersion} healthy, ${services.length} services running` };
}

/** Polls `url` until the release is healthy or `deadlineMs` has passed; the last verdict either way. */
export async function waitHealthy(
  url: string,
  expectedVersion: string,
  deadlineMs: number,
  everyMs = 500,
): Promise<HealthVerdict> {
  const until = Date.now() + deadlineMs;
  let last: HealthVerdict = { healthy: false, detail: 'no answer yet' };
  for (;;) {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(Math.min(5000, Math.max(500, until - Date.now()))),
      });
      last = response.ok
        ? judgeHealth(await response.json(), expectedVersion)
        : { healthy: false, detail: `health answered ${response.status}` };
    } catch (error) {
      last = { healthy: false, detail: `no answer: ${(error as Error).message}` };
    }
    if (last.healthy || Date.now() >= until) return last;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
