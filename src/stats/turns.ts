import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work that takes turns: one piece at a time in the process, each after the event loop has
 * served what was already waiting. Exports run their batches through it: ten of them filling
 * their sockets at once would keep the loop busy tens of milliseconds a turn with their rows,
 * and a webhook request, which needs several turns, would wait hundreds of milliseconds. One
 * export alone runs at full speed; several share it.
 */
export class Turns {
  private last: Promise<unknown> = Promise.resolve();

  take<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.last.then(() => nextTurn()).then(work);
    this.last = turn.catch(() => {});
    return turn;
  }
}
