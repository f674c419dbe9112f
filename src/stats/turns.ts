import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work that takes turns: one piece at a time in the process, each after the event loop has
 * served what was already waiting. Exports run their batches through it: ten of them filling
 * their sockets at once kept the loop busy tens of milliseconds a turn with their rows, and a
 * webhook request, which needs several turns, waited 250 ms. One export alone runs as fast as
 * before; several share that speed.
 */
export class Turns {
  private last: Promise<unknown> = Promise.resolve();

  take<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.last.then(() => nextTurn()).then(work);
    this.last = turn.catch(() => {});
    return turn;
  }
}
