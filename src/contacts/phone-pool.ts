import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CountryCode } from 'libphonenumber-js/max';

type Pending = { resolve: (results: string[]) => void; reject: (error: unknown) => void };

/**
 * Worker threads that normalise batches of phone numbers in parallel with the parsing and the
 * database writes of an import. Batches are handed out in turn; answers come back by id, one
 * string per number: the E.164 number (it starts with `+`) or why it is impossible.
 */
export class PhonePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private failure: unknown;

  constructor(size = Math.max(1, Math.min(2, availableParallelism()))) {
    this.workers = Array.from({ length: size }, () => {
      // Small heaps: a worker holds one chunk of phones at a time.
      const worker = new Worker(new URL('./phone-worker.mjs', import.meta.url), {
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      });
      worker.on('message', ({ id, results }: { id: number; results: string[] }) => {
        this.pending.get(id)?.resolve(results);
        this.pending.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`phone worker exited with code ${code}`));
      });
      return worker;
    });
  }

  normalize(phones: string[], defaultCountry?: CountryCode): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, phones, defaultCountry });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
