import type postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import type { Import } from '../src/contacts/import/schemas';
import { type Proc, Rig } from './faults/rig';
import { createList, upload } from './helpers/audience';
import { useServicePerTest, waitFor } from './helpers/service';

const ROWS = 200_000;
const csv = (from: number) =>
  `phone,name\n${Array.from({ length: ROWS }, (_, i) => `+4916${20_000_000 + from + i},N${i}`).join('\n')}\n`;

/** The one transaction that imports hold while they merge (its advisory lock, import-csv.ts). */
const importTransactions = `
  select l.pid from pg_locks l
  where l.locktype = 'advisory' and l.granted and l.database = (
    select oid from pg_database where datname = current_database())`;

let rig: Rig | undefined;
/** The held contacts' locks: released after each test even when it failed before its release. */
const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) await release();
  await rig?.stop();
  rig = undefined;
});
const startService = useServicePerTest();

/** The first phone of `csv(from)`. */
const firstPhone = (from: number) => `+4916${20_000_000 + from}`;

/**
 * Holds the file's first contact locked from the test's own connection, so that an attempt's
 * merge waits on it for as long as the test needs: a kill then lands mid-import, whatever the
 * machine's speed (an import of this size can otherwise end before the test acts).
 */
async function holdContact(sql: postgres.Sql, phone: string) {
  await sql`insert into contacts (phone) values (${phone})`;
  const reserved = await sql.reserve();
  await reserved`begin`;
  await reserved`select id from contacts where phone = ${phone} for update`;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await reserved`rollback`.catch(() => {});
    reserved.release();
  };
  releases.push(release);
  return release;
}

/** Waits until the import's attempt `attempt` waits for a lock (the held contact). */
async function attemptWaiting(sql: postgres.Sql, id: string, attempt: number): Promise<void> {
  await waitFor(
    async () =>
      (
        await sql`
          select 1 from pg_stat_activity
          where wait_event_type = 'Lock' and application_name = ${`wa-import ${id} ${attempt}`}`
      ).length > 0,
    { timeoutMs: 60_000, intervalMs: 20, what: `attempt ${attempt} to wait in its merge` },
  );
}

/** Uploads through the rig's API and waits until the import's first attempt waits in its merge. */
async function startImport(r: Rig, from: number): Promise<{ id: string; listId: string }> {
  const list = await r.call('POST', '/v1/lists', { name: `restart ${from}` });
  const imported = await r.call('POST', `/v1/lists/${list.body.id}/imports`, csv(from), 'text/csv');
  expect(imported.status).toBe(202);
  const id = String(imported.body.id);
  await attemptWaiting(r.sql, id, 1);
  return { id, listId: String(list.body.id) };
}

async function completed(r: Rig, id: string): Promise<Import> {
  return waitFor(
    async () => {
      const current = (await r.call('GET', `/v1/imports/${id}`)).body as unknown as Import;
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `import ${id} to end\n${r.logs()}` },
  );
}

/** What the list ended up with: counted in the database, not from the import's own figures. */
async function members(r: Rig, listId: string): Promise<number> {
  const [row] = await r.sql<{ n: number }[]>`
    select count(*)::int as n from list_members where list_id = ${listId}`;
  return row?.n ?? -1;
}

describe('an import whose attempt stops', () => {
  it('a frozen worker loses its import to a live one, and writes nothing when it wakes', async () => {
    rig = await Rig.onFreshDatabase();
    await rig.spawn('api');
    const frozen: Proc = await rig.spawn('worker');
    const release = await holdContact(rig.sql, firstPhone(0));
    const { id, listId } = await startImport(rig, 0);
    frozen.child.kill('SIGSTOP');
    try {
      await rig.spawn('worker');
      // The live worker takes the lapsed import and ends the frozen attempt's sessions.
      await attemptWaiting(rig.sql, id, 2);
      await release();
      const done = await completed(rig, id);
      expect(done).toMatchObject({
        status: 'completed',
        rows: ROWS,
        created: ROWS - 1,
        attempts: 2,
      });
      expect(done.restartedAt).not.toBeNull();
    } finally {
      frozen.child.kill('SIGCONT');
    }
    // Awake, it finds its connections ended and the import taken: it stops, and lives on.
    await waitFor(() => frozen.output().includes('"msg":"import attempt failed'), {
      timeoutMs: 40_000,
      what: 'the frozen worker to give the import up',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${frozen.output().slice(-3000)}`);
    });
    expect(frozen.child.exitCode).toBeNull();
    const after = (await rig.call('GET', `/v1/imports/${id}`)).body;
    expect(after).toMatchObject({
      status: 'completed',
      rows: ROWS,
      created: ROWS - 1,
      attempts: 2,
    });
    expect(await members(rig, listId)).toBe(ROWS);
  }, 120_000);

  it('a lost database connection ends only the attempt: the process lives, the import restarts', async () => {
    rig = await Rig.onFreshDatabase();
    await rig.spawn('api');
    const worker = await rig.spawn('worker');
    const release = await holdContact(rig.sql, firstPhone(ROWS));
    const { id, listId } = await startImport(rig, ROWS);
    // the first attempt's sessions, by their name (attemptName in import-lease.ts): no other
    await rig.sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${`wa-import ${id} 1`}`;
    await attemptWaiting(rig.sql, id, 2);
    await release();
    const done = await completed(rig, id);
    expect(done).toMatchObject({ status: 'completed', rows: ROWS, created: ROWS - 1, attempts: 2 });
    expect(worker.child.exitCode, worker.output().slice(-3000)).toBeNull();
    expect(await members(rig, listId)).toBe(ROWS);
  }, 120_000);

  it('a second job for an import in progress (a retry after its expiry) starts no second attempt', async () => {
    const first = await startService();
    // Another process on the database, idle, to take the second job at once.
    await startService({ database: first.database });
    const listId = await createList(first);
    const response = await upload(first, listId, csv(2 * ROWS));
    const { id } = (await response.json()) as { id: string };
    const { sql } = first.service.ctx.database;
    await waitFor(async () => (await sql.unsafe(importTransactions)).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: 'the import to be merging',
    });
    const { boss } = first.service.ctx;
    const second = (await boss.send('import-csv', { importId: id })) as string;
    await waitFor(
      async () =>
        ['completed', 'failed'].includes(
          (await boss.getJobById('import-csv', second))?.state ?? '',
        ),
      { timeoutMs: 60_000, what: 'the second job to end' },
    );
    const done = await waitFor(
      async () => {
        const current = (await (await first.request(`/v1/imports/${id}`)).json()) as Import;
        return current.status === 'completed' ? current : undefined;
      },
      { timeoutMs: 60_000, what: 'the import to complete' },
    );
    expect(done).toMatchObject({ rows: ROWS, created: ROWS, attempts: 1, restartedAt: null });
  }, 120_000);

  it('an import whose attempts all fail is failed after the third, with its error, keeping nothing', async () => {
    const t = await startService();
    const { sql } = t.service.ctx.database;
    const listId = await createList(t);
    // A contact of the file held locked: each attempt waits for it in its merge, and is cancelled.
    const blocker = '+4916230000007';
    await sql`insert into contacts (phone) values (${blocker})`;
    const reserved = await sql.reserve();
    try {
      await reserved`begin`;
      await reserved`select id from contacts where phone = ${blocker} for update`;
      const response = await upload(t, listId, `phone\n+4916230000001\n${blocker}\n`);
      const { id } = (await response.json()) as { id: string };
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [waiting] = await waitFor(
          async () => {
            const rows = await sql<{ pid: number }[]>`
              select pid from pg_stat_activity
              where wait_event_type = 'Lock' and application_name = ${`wa-import ${id} ${attempt}`}`;
            return rows.length > 0 ? rows : undefined;
          },
          { timeoutMs: 20_000, what: `attempt ${attempt} to wait in its merge` },
        );
        await sql`select pg_cancel_backend(${waiting?.pid ?? 0}::int)`;
      }
      const failed = await waitFor(
        async () => {
          const current = (await (await t.request(`/v1/imports/${id}`)).json()) as Import;
          return current.status === 'failed' ? current : undefined;
        },
        { timeoutMs: 20_000, what: 'the import to fail' },
      );
      expect(failed).toMatchObject({ attempts: 3, created: 0 });
      expect(failed.failure).toContain('canceling statement due to user request');
      const [left] = await sql<{ chunks: number; contacts: number }[]>`
        select (select count(*) from import_uploads where import_id = ${id})::int as chunks,
          (select count(*) from list_members where list_id = ${listId})::int as contacts`;
      expect(left).toEqual({ chunks: 0, contacts: 0 });
    } finally {
      await reserved`rollback`;
      reserved.release();
    }
  }, 120_000);
});
