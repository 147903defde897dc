import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../kiosk/core/serial-queue.js';

describe('SerialQueue', () => {
  it('runs work one piece at a time in the order asked, a failure failing only its own caller', async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    const slow = queue.run(async () => {
      order.push('a start');
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('a end');
      return 'a';
    });
    const failing = queue.run(async () => {
      order.push('b');
      throw new Error('b failed');
    });
    const after = queue.run(async () => {
      order.push('c');
      return 'c';
    });
    await expect(slow).resolves.toBe('a');
    await expect(failing).rejects.toThrow('b failed');
    await expect(after).resolves.toBe('c');
    expect(order).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('idle() waits for everything queued so far, and resolves even after a failure', async () => {
    const queue = new SerialQueue();
    let done = false;
    void queue.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = true;
    });
    queue.run(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await queue.idle();
    expect(done).toBe(true);
  });
});
