import { describe, expect, it } from 'vitest';
import { campaigns, templates } from '../src/db/schema';
import { encodeCursor } from '../src/http/pagination';
import { contactsOf, createList, importCsv, upload, waitForImport } from './helpers/audience';
import { sweepNow } from './helpers/recovery';
import { startTestService, useTestService, waitFor } from './helpers/service';

const t = useTestService();

const json = (method: string, body: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('lists', () => {
  it('creates, shows and pages through lists, with their contact counts', async () => {
    const created = await t.request(
      '/v1/lists',
      json('POST', { name: ' VIP ', description: 'best customers' }),
    );
    expect(created.status).toBe(201);
    const list = (await created.json()) as { id: string };
    expect(list).toMatchObject({ name: 'VIP', description: 'best customers', contactCount: 0 });
    await importCsv(t, list.id, 'phone,name\n+4917011111111,A\n+4917011111112,B\n');
    expect(await (await t.request(`/v1/lists/${list.id}`)).json()).toMatchObject({
      id: list.id,
      contactCount: 2,
    });

    for (const name of ['two', 'three']) await createList(t, name);
    const first = (await (await t.request('/v1/lists?limit=2')).json()) as {
      data: { name: string }[];
      nextCursor: string;
    };
    expect(first.data.map((l) => l.name)).toEqual(['three', 'two']);
    const second = (await (
      await t.request(`/v1/lists?limit=2&cursor=${first.nextCursor}`)
    ).json()) as {
      data: { name: string }[];
      nextCursor: string | null;
    };
    expect(second.data.map((l) => l.name)).toContain('VIP');
  });

  it('refuses bad input with problem documents', async () => {
    const missingName = await t.request('/v1/lists', json('POST', { description: 'x' }));
    expect(missingName.status).toBe(422);
    expect(((await missingName.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(
      'name',
    );
    expect((await t.request('/v1/lists?limit=5000')).status).toBe(400);
    expect((await t.request('/v1/lists?cursor=garbage')).status).toBe(400);
    // forged keys past PostgreSQL's bigint: a 400, never a 500
    const forged = encodeCursor(['99999999999999999999', '00000000-0000-4000-8000-000000000000']);
    expect((await t.request(`/v1/lists?cursor=${forged}`)).status).toBe(400);
    const forgedOptOut = encodeCursor(['9999999999999999999', '+1']);
    expect((await t.request(`/v1/opt-outs?cursor=${forgedOptOut}`)).status).toBe(400);
  });

  it('deletes a list but keeps its contacts, and refuses while a scheduled campaign uses it', async () => {
    const listId = await createList(t, 'to delete');
    await importCsv(t, listId, 'phone\n+4917022222222\n');
    const [contact] = await contactsOf(t, listId);

    const { db } = t.service.ctx.database;
    const [template] = await db
      .insert(templates)
      .values({ name: 't', namespace: 'ns', languageCode: 'en' })
      .returning();
    const [campaign] = await db
      .insert(campaigns)
      .values({
        name: 'c',
        status: 'scheduled',
        templateId: template?.id as string,
        listIds: [listId],
      })
      .returning();
    const refused = await t.request(`/v1/lists/${listId}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain(campaign?.id);

    await t.service.ctx.database
      .sql`update campaigns set status = 'completed' where id = ${campaign?.id as string}`;
    expect((await t.request(`/v1/lists/${listId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/v1/lists/${listId}`)).status).toBe(404);
    expect((await t.request(`/v1/contacts/${contact?.id}`)).status).toBe(200);
    expect((await t.request(`/v1/lists/${listId}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('contacts', () => {
  it('pages through a list with a cursor and shows one contact', async () => {
    const listId = await createList(t);
    const rows = Array.from(
      { length: 5 },
      (_, i) => `+4917033333${String(i).padStart(3, '0')},n${i}`,
    );
    await importCsv(t, listId, `phone,name\n${rows.join('\n')}\n`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (
        await t.request(`/v1/lists/${listId}/contacts?limit=2${query}`)
      ).json()) as {
        data: { phone: string }[];
        nextCursor: string | null;
      };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((c) => c.phone));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(rows.map((r) => r.split(',')[0]).sort());

    const [first] = await contactsOf(t, listId);
    const one = await t.request(`/v1/contacts/${first?.id}`);
    expect(await one.json()).toMatchObject({
      id: first?.id,
      phone: first?.phone,
      optedOut: false,
      optedOutAt: null,
    });
  });
});

describe('opt-outs', () => {
  it('adds idempotently, survives a later import, lists, and removes', async () => {
    const first = await t.request('/v1/opt-outs', json('POST', { phone: '+49 170 4444 5555' }));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      phone: '+4917044445555',
      contactId: null,
      source: 'api',
    });
    const again = await t.request('/v1/opt-outs', json('POST', { phone: '004917044445555' }));
    expect(again.status).toBe(200);

    const listId = await createList(t);
    await importCsv(t, listId, 'phone,name\n+4917044445555,Opted\n+4917044446666,Fine\n');
    const contacts = await contactsOf(t, listId);
    const opted = contacts.find((c) => c.phone === '+4917044445555');
    expect(opted?.optedOut).toBe(true);
    expect(contacts.find((c) => c.phone === '+4917044446666')?.optedOut).toBe(false);

    const list = (await (await t.request('/v1/opt-outs')).json()) as {
      data: { phone: string; contactId: string }[];
    };
    expect(list.data.find((o) => o.phone === '+4917044445555')?.contactId).toBe(opted?.id);

    expect((await t.request('/v1/opt-outs/%2B4917044445555', { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await t.request('/v1/opt-outs/%2B4917044445555', { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await contactsOf(t, listId)).find((c) => c.phone === '+4917044445555')?.optedOut).toBe(
      false,
    );
  });

  it('refuses a phone that cannot be one', async () => {
    const response = await t.request('/v1/opt-outs', json('POST', { phone: '123' }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'phone' }],
    });
    expect((await t.request('/v1/opt-outs', json('POST', {}))).status).toBe(422);
  });
});

describe('import progress', () => {
  it('reports rows so far while it runs, leaves nothing behind when it fails, and a retry counts once', async () => {
    const listId = await createList(t);
    const total = 12_000;
    const lines = Array.from({ length: total }, (_, i) => `+4915${String(200000000 + i)},row ${i}`);
    // A contact of the file held locked: the import reads every row, then waits in its merge.
    const blocker = '+4915200007000';
    await importCsv(t, listId, `phone,name\n${blocker},seed\n`);
    const { sql } = t.service.ctx.database;
    const fileContacts = async () =>
      (
        await sql<
          { n: number }[]
        >`select count(*)::int as n from contacts where phone like '+4915200%'`
      )[0]?.n;
    const reserved = await sql.reserve();
    await reserved`begin`;
    await reserved`select id from contacts where phone = ${blocker} for update`;
    let id: string;
    try {
      const response = await upload(t, listId, `phone,name\n${lines.join('\n')}\n`);
      expect(response.status).toBe(202);
      id = ((await response.json()) as { id: string }).id;
      const current = async () =>
        (await (await t.request(`/v1/imports/${id}`)).json()) as {
          status: string;
          rows: number;
          created: number;
        };
      const midway = await waitFor(
        async () => {
          const now = await current();
          return now.status === 'running' && now.rows === total ? now : undefined;
        },
        { what: 'every row to be reported read' },
      );
      expect(midway.created).toBe(0);
      // The job waits for the lock inside its transaction: fail it there. (A cancel, not
      // pg_terminate_backend: postgres.js 3.4 throws an uncaught error when a transaction's
      // connection dies under it, porsager/postgres#1208.)
      const waiting = await waitFor(async () => {
        const rows = await sql<{ pid: number }[]>`
          select pid from pg_stat_activity
          where wait_event_type = 'Lock' and query like '%import_rows%'`;
        return rows.length > 0 ? rows : undefined;
      });
      await sql`select pg_cancel_backend(${waiting[0]?.pid ?? 0}::int)`;
      // Nothing of the file was kept (the blocker is the only one of its contacts).
      expect(await fileContacts()).toBe(1);
      // Not failed: the attempt let its lease go, and the import waits to start again.
      expect(['running', 'queued']).toContain((await current()).status);
    } finally {
      await reserved`rollback`;
      reserved.release();
    }
    // The recovery sweep queues it again; it starts the file again and counts each row once.
    await sweepNow(t);
    const final = await waitForImport(t, id);
    expect(final).toMatchObject({
      status: 'completed',
      rows: total,
      created: total - 1,
      updated: 1,
      duplicates: 0,
      invalid: 0,
    });
    expect(await fileContacts()).toBe(total);
    expect(
      ((await (await t.request(`/v1/lists/${listId}`)).json()) as { contactCount: number })
        .contactCount,
    ).toBe(total);
    // The failed attempt left no connection in a transaction (its upload's cursor, its COPY).
    expect(
      await sql`
        select pid, query from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'
          -- for a while: housekeeping's own transactions pause between their statements
          and state_change < now() - interval '1 second'`,
    ).toEqual([]);
    // The failed attempt's segment tables, and the retry's, are gone.
    expect(
      await sql`select tablename from pg_tables where tablename like ${`import_rows_${id.replaceAll('-', '')}%`}`,
    ).toEqual([]);
  });
});

describe('import in several segments', () => {
  // Every block of COPY text (about 1 MiB) becomes a segment of its own.
  const small = useTestService({ env: { IMPORT_SEGMENT_ROWS: '1' } });

  it("runs two processes' imports of the same phones one after the other: no deadlock, no retry", async () => {
    // A second process on the same database: each process imports one file at a time.
    const other = await startTestService({
      env: { IMPORT_SEGMENT_ROWS: '1' },
      database: small.database,
    });
    try {
      const pad = 'p'.repeat(110);
      const lines = Array.from({ length: 24_000 }, (_, i) => `+4915${400000000 + i},${pad}`);
      // Opposite orders: each import's first segment holds the phones of the other's last.
      const files = [lines, [...lines].reverse()].map((rows) => `phone,pad\n${rows.join('\n')}\n`);
      const lists = [await createList(small, 'forward'), await createList(small, 'backward')];
      const responses = await Promise.all(
        [small, other].map((service, i) => upload(service, lists[i] as string, files[i])),
      );
      const ids = await Promise.all(
        responses.map(async (response) => {
          expect(response.status).toBe(202);
          return ((await response.json()) as { id: string }).id;
        }),
      );
      const results = await Promise.all(ids.map((id) => waitForImport(small, id)));
      for (const result of results) {
        expect(result).toMatchObject({ status: 'completed', rows: 24_000, invalid: 0 });
        expect(result.created + result.updated).toBe(24_000);
      }
      // Every phone was created by exactly one of them, and both lists hold all of them.
      expect(results.map((r) => r.created).sort()).toEqual([0, 24_000]);
      for (const listId of lists) {
        const list = (await (await small.request(`/v1/lists/${listId}`)).json()) as {
          contactCount: number;
        };
        expect(list.contactCount).toBe(24_000);
      }
      const { sql } = small.service.ctx.database;
      const [jobs] = await sql<{ retries: number }[]>`
        select coalesce(max(retry_count), 0)::int as retries from pgboss.job
        where name = 'import-csv' and data->>'importId' in ${sql(ids)}`;
      // Imports take turns, so neither deadlocks on the phones they share and is retried.
      expect(jobs?.retries).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('counts a phone repeated in a later segment as a duplicate, not as an update', async () => {
    const known = '+4915399999999';
    await importCsv(
      small,
      await createList(small, 'earlier'),
      `phone,name,pad\n${known},before,x\n`,
    );
    const listId = await createList(small, 'segments');
    const pad = 'p'.repeat(110);
    const lines = Array.from({ length: 24_000 }, (_, i) => `+4915${300000000 + i},row ${i},${pad}`);
    lines.splice(12_000, 0, `${known},middle,${pad}`); // a later segment: an update
    lines.push(`004915300000000,late,${pad}`, `${known},late,${pad}`); // the last: duplicates
    const body = `phone,name,pad\n${lines.join('\n')}\n`;
    expect(body.length).toBeGreaterThan(3 * 1024 * 1024);
    const result = await importCsv(small, listId, body);
    expect(result).toMatchObject({
      status: 'completed',
      rows: 24_003,
      created: 24_000,
      updated: 1,
      duplicates: 2,
      invalid: 0,
    });
    const { sql } = small.service.ctx.database;
    const attributes = await sql<{ phone: string; name: string }[]>`
      select phone, attributes->>'name' as name from contacts
      where phone in (${known}, '+4915300000000') order by phone`;
    // The first row of each phone is the one imported.
    expect(attributes).toEqual([
      { phone: '+4915300000000', name: 'row 0' },
      { phone: known, name: 'middle' },
    ]);
    expect(
      ((await (await small.request(`/v1/lists/${listId}`)).json()) as { contactCount: number })
        .contactCount,
    ).toBe(24_001);
  });
});
