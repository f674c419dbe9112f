import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/service';
import { Rig } from './rig';

const ROWS = 1_000_000;
/** How soon after the restart the import must be complete. */
const WITHIN_MS = 60_000;

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.onFreshDatabase();
});
afterAll(async () => {
  await rig?.stop();
});

describe('SIGKILL of the worker during a 1,000,000-row import', () => {
  it('the import completes after a restart, within a minute of it, with the right counts', async () => {
    await rig.spawn('api');
    const worker = await rig.spawn('worker');
    const list = await rig.call('POST', '/v1/lists', { name: 'a million' });
    const lines = Array.from({ length: ROWS }, (_, i) => `+4915${300_000_000 + i},N${i % 1000}`);
    const imported = await rig.call(
      'POST',
      `/v1/lists/${list.body.id}/imports`,
      `phone,name\n${lines.join('\n')}\n`,
      'text/csv',
    );
    expect(imported.status).toBe(202);
    const id = String(imported.body.id);
    const progress = async () => (await rig.call('GET', `/v1/imports/${id}`)).body;

    // Killed well into the file: its first segments merged (uncommitted), more being copied.
    const atKill = await waitFor(
      async () => {
        const now = await progress();
        return now.status === 'running' && Number(now.rows) >= 400_000 ? now : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 50,
        what: `the import to be well under way\n${rig.logs()}`,
      },
    );
    await rig.kill(worker);
    await rig.spawn('worker');
    const restartedAt = Date.now();
    const done = await waitFor(
      async () => {
        const now = await progress();
        return now.status === 'completed' || now.status === 'failed' ? now : undefined;
      },
      { timeoutMs: WITHIN_MS, intervalMs: 200, what: `the import to complete\n${rig.logs()}` },
    );
    console.info(
      `[faults] import killed at ${atKill.rows} rows read; completed ${Date.now() - restartedAt} ms after the new worker started`,
    );

    expect(done).toMatchObject({
      status: 'completed',
      rows: ROWS,
      created: ROWS,
      updated: 0,
      duplicates: 0,
      invalid: 0,
      attempts: 2,
      failure: null,
    });
    expect(done.restartedAt).not.toBeNull();
    // Every row once: nothing of the dead attempt was kept, nothing of the file lost.
    const [stored] = await rig.sql<{ members: number; contacts: number }[]>`
      select (select count(*) from list_members where list_id = ${String(list.body.id)})::int as members,
        (select count(*) from contacts where created_by_import_id = ${id})::int as contacts`;
    expect(stored).toEqual({ members: ROWS, contacts: ROWS });
    // The dead attempt's scratch is gone: its segment tables, and the upload once imported.
    const [left] = await rig.sql<{ segments: number; chunks: number }[]>`
      select (select count(*) from pg_tables where starts_with(tablename, 'import_rows_'))::int as segments,
        (select count(*) from import_uploads where import_id = ${id})::int as chunks`;
    expect(left).toEqual({ segments: 0, chunks: 0 });
  }, 240_000);
});
