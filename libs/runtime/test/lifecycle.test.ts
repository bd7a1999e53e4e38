import { describe, expect, it } from 'vitest';
import { silentLogger } from '@maestro/bus';
import { createLifecycle } from '../src';

describe('lifecycle', () => {
  it('moves starting → running → draining → stopped and runs stop steps in reverse order, once', async () => {
    const lifecycle = createLifecycle(silentLogger, 1_000);
    const ran: string[] = [];
    lifecycle.onStop('redis', () => { ran.push('redis'); });
    lifecycle.onStop('producer', async () => { ran.push('producer'); });
    lifecycle.onStop('consumers', () => { ran.push(`consumers while ${lifecycle.state()}`); });
    expect(lifecycle.state()).toBe('starting');
    lifecycle.markRunning();
    expect(lifecycle.state()).toBe('running');
    const [first, second] = await Promise.all([lifecycle.shutdown('SIGTERM'), lifecycle.shutdown('SIGINT')]);
    expect([first, second]).toEqual([true, true]);
    expect(ran).toEqual(['consumers while draining', 'producer', 'redis']);
    expect(lifecycle.state()).toBe('stopped');
  });

  it('keeps going after a failing step and reports the shutdown as unclean', async () => {
    const lifecycle = createLifecycle(silentLogger, 1_000);
    const ran: string[] = [];
    lifecycle.onStop('last', () => { ran.push('last'); });
    lifecycle.onStop('broken', () => { throw new Error('boom'); });
    expect(await lifecycle.shutdown('test')).toBe(false);
    expect(ran).toEqual(['last']);
  });

  it('gives up at the grace time', async () => {
    const lifecycle = createLifecycle(silentLogger, 50);
    lifecycle.onStop('stuck', () => new Promise(() => {}));
    const started = Date.now();
    expect(await lifecycle.shutdown('test')).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lifecycle.state()).toBe('stopped');
  });
});
