import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ServiceHost, type Service } from '../../kiosk/core/service.js';

const silent = pino({ level: 'silent' });

function service(
  name: string,
  log: string[],
  behaviour: { failStart?: boolean; stopMs?: number; failStop?: boolean } = {},
): Service {
  return {
    name,
    async start() {
      if (behaviour.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async stop() {
      if (behaviour.stopMs) await new Promise((resolve) => setTimeout(resolve, behaviour.stopMs));
      if (behaviour.failStop) throw new Error(`${name} stop failed`);
      log.push(`stop ${name}`);
    },
  };
}

describe('ServiceHost', () => {
  it('starts in order and stops in reverse order', async () => {
    const log: string[] = [];
    const host = new ServiceHost(silent)
      .add(service('store', log))
      .add(service('hardware', log))
      .add(service('web', log));
    await host.startAll();
    expect(host.statuses().map((s) => s.state)).toEqual(['running', 'running', 'running']);
    expect(await host.stopAll(1000)).toBe(true);
    expect(log).toEqual(['start store', 'start hardware', 'start web', 'stop web', 'stop hardware', 'stop store']);
    expect(host.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('stops what was started when a later service fails to start', async () => {
    const log: string[] = [];
    const host = new ServiceHost(silent)
      .add(service('store', log))
      .add(service('media', log, { failStart: true }))
      .add(service('web', log));
    await expect(host.startAll()).rejects.toThrow('media cannot start');
    expect(log).toEqual(['start store', 'stop store']);
    expect(host.statuses()).toEqual([
      { name: 'store', state: 'stopped' },
      { name: 'media', state: 'failed', error: 'media cannot start' },
      { name: 'web', state: 'stopped' },
    ]);
  });

  it('reports a stop that overruns the deadline, and still stops the others', async () => {
    const log: string[] = [];
    const host = new ServiceHost(silent)
      .add(service('store', log))
      .add(service('media', log, { stopMs: 2000 }))
      .add(service('web', log, { failStop: true }));
    await host.startAll();
    expect(await host.stopAll(200)).toBe(false);
    const states = Object.fromEntries(host.statuses().map((s) => [s.name, s]));
    expect(states.web).toEqual({ name: 'web', state: 'failed', error: 'web stop failed' });
    expect(states.media).toEqual({ name: 'media', state: 'failed', error: 'stop deadline exceeded' });
    expect(log).toContain('stop store');
  });

  it('refuses the same service twice', () => {
    const host = new ServiceHost(silent).add(service('web', []));
    expect(() => host.add(service('web', []))).toThrow(/added twice/);
  });
});
