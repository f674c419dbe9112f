import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkLayout, StagedChunk } from './staging-chunk';

type Pending = { resolve: (result: StagedChunk) => void; reject: (error: unknown) => void };

/**
 * Worker threads that stage chunks of an import's rows (phone normalisation, COPY text) in
 * parallel with the parsing and the database writes. Chunks are handed out in turn; answers
 * come back by id.
 */
export class StagingPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private failure: unknown;

  constructor(size = Math.max(1, Math.min(2, availableParallelism()))) {
    this.workers = Array.from({ length: size }, () => {
      // Small heaps: a worker holds one or two chunks of rows at a time.
      const worker = new Worker(new URL('./staging-worker.mjs', import.meta.url), {
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      });
      worker.on('message', ({ id, result }: { id: number; result: StagedChunk }) => {
        this.pending.get(id)?.resolve(result);
        this.pending.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`staging worker exited with code ${code}`));
      });
      return worker;
    });
  }

  /** Stages rows numbered from `firstRow` (the rows are copied to the worker). */
  stage(rows: string[][], firstRow: number, layout: ChunkLayout): Promise<StagedChunk> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows, firstRow, layout });
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
