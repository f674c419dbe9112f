import { describe, expect, it } from 'vitest';
import { type LiveFigures, LiveHub } from './live';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LiveHub', () => {
  it('runs one loader per key however many watch, and stops when the last one leaves', async () => {
    const hub = new LiveHub({ intervalMs: 50, maxStreams: 10, maxStreamSeconds: 60 });
    let loads = 0;
    const load = async (): Promise<LiveFigures> => ({ sent: ++loads });
    const seen: number[] = Array.from({ length: 100 }, () => 0);
    const leave = seen.map((_, i) =>
      hub.subscribe('campaign:1', load, () => {
        seen[i] = (seen[i] ?? 0) + 1;
      }),
    );
    await wait(500);
    // About ten ticks in 500 ms at 50 ms: one load each, not one per watcher.
    expect(loads).toBeGreaterThanOrEqual(5);
    expect(loads).toBeLessThanOrEqual(12);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(loads - 1);
    for (const unsubscribe of leave) unsubscribe();
    const after = loads;
    await wait(200);
    expect(loads).toBe(after);
  });

  it('stops loading once the figures say done, and gives a late watcher the last figures', async () => {
    const hub = new LiveHub({ intervalMs: 20, maxStreams: 10, maxStreamSeconds: 60 });
    let loads = 0;
    const load = async (): Promise<LiveFigures> => ({ sent: ++loads, done: loads >= 3 });
    const first: LiveFigures[] = [];
    hub.subscribe('import:1', load, (figures) => first.push(figures));
    await wait(200);
    expect(loads).toBe(3);
    expect(first.at(-1)).toEqual({ sent: 3, done: true });
  });

  it('skips a beat when a load fails, and goes on', async () => {
    const hub = new LiveHub({ intervalMs: 20, maxStreams: 10, maxStreamSeconds: 60 });
    let loads = 0;
    const load = async (): Promise<LiveFigures> => {
      loads += 1;
      if (loads === 2) throw new Error('database restarting');
      return { sent: loads, done: loads >= 4 };
    };
    const got: LiveFigures[] = [];
    hub.subscribe('campaign:2', load, (figures) => got.push(figures));
    await wait(250);
    expect(got.map((f) => f.sent)).toEqual([1, 3, 4]);
  });
});
