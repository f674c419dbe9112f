import { readFileSync } from 'node:fs';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  startServiceProcess,
} from './harness';

const SETTLE_MS = Number(process.env.BENCH_IDLE_SECONDS ?? 20) * 1000;

/**
 * Idle service: `npm start`'s process (ROLE=all: HTTP, scheduler, workers, sweeps) on a migrated
 * empty database, left alone for 20 s, then its resident set read from /proc (VmRSS now; VmHWM,
 * the peak, beside it).
 */
export async function benchIdle(): Promise<Figure[]> {
  const server = await benchServer();
  const url = await freshDatabase(server.adminUrl, 'wa_bench_idle');
  try {
    const service = await startServiceProcess(url);
    try {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
      const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      console.log(
        `idle: RSS ${rssMb.toFixed(0)} MB after ${SETTLE_MS / 1000} s (peak ${service.peakRssMb().toFixed(0)} MB)`,
      );
      return [
        {
          what: `idle service RSS (after ${SETTLE_MS / 1000} s)`,
          value: `${rssMb.toFixed(0)} MB (peak ${service.peakRssMb().toFixed(0)} MB)`,
          goal: '≤ 150 MB',
          ok: rssMb > 0 && rssMb <= 150,
        },
      ];
    } finally {
      await service.stop();
    }
  } finally {
    await dropDatabase(server.adminUrl, 'wa_bench_idle');
    await server.stop();
  }
}
