import { DISPATCH_QUEUE } from '../../src/sending/dispatch.job';
import { sweep } from '../../src/sending/recovery';
import { type TestService, waitFor } from './service';

/**
 * The recovery sweep run now, as a worker runs it every two seconds, and then the dispatch jobs
 * queued by it or before it waited out: what the service would have done by the next sweep,
 * without sleeping for one. A test of what must not be sent asserts after this.
 */
export async function sweepNow(t: TestService): Promise<void> {
  await sweep(t.service.ctx);
  const { sql } = t.service.ctx.database;
  await waitFor(
    async () => {
      const [row] = await sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pgboss.job
        where name = ${DISPATCH_QUEUE} and state in ('created', 'retry', 'active')`;
      return row?.waiting === 0;
    },
    { what: 'the dispatch jobs to end' },
  );
}
