import type { Gauge } from 'prom-client';
import { AppError } from '../errors';

/** Long enough for an upload or an export in flight to end; a client retries after it. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Caps the requests of one kind that a process serves at once (CSV uploads, CSV exports): past
 * the cap a request is answered 429 with Retry-After before it reads a byte or a row. Counted
 * per process, in the service's own object (several API processes each have their cap).
 */
export class InFlightLimit {
  private count = 0;

  constructor(
    private readonly kind: 'upload' | 'export',
    private readonly max: number,
    private readonly gauge: Gauge<'kind'>,
  ) {
    gauge.set({ kind }, 0);
  }

  /** Counts one more in flight, or throws a 429; answers its release, which may be called again. */
  admit(): () => void {
    if (this.count >= this.max) {
      throw AppError.tooManyRequests(
        `${this.max} ${this.kind}s are in flight, the most this server takes at once: try again in ${RETRY_AFTER_SECONDS} s.`,
        RETRY_AFTER_SECONDS,
      );
    }
    this.set(this.count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.set(this.count - 1);
    };
  }

  private set(count: number) {
    this.count = count;
    this.gauge.set({ kind: this.kind }, count);
  }
}
