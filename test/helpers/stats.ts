import { expect } from 'vitest';
import { figuresSql } from '../../src/db/figures-sql';
import { toStats } from '../../src/stats/get-stats';
import { api, createCampaign, type Json, waitCompleted } from './api';
import { countersOffRecount } from './counters';
import { factories } from './factories';
import type { TestService } from './service';

export { countersOffRecount };

const digits = (phone: string) => phone.replace(/\D/g, '');

/**
 * A campaign run with every send outcome, through the real dispatcher and the fake provider:
 * refused (failed, with a formula in its error), timed out (unknown), accepted four times, and
 * one contact whose first_name is missing (skipped by the snapshot). Returns the contacts in that order.
 */
export async function runWithEveryOutcome(t: TestService) {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const listId = await f.list();
  const contacts = [];
  for (let i = 0; i < 7; i++) {
    // the last contact lacks the template's attribute
    const contact = await f.contact(i < 6 ? { first_name: `Name${i}` } : {});
    await f.addToList(listId, contact.id);
    contacts.push(contact);
  }
  const [refused, timedOut, delivered, read, stopped, sentOnly, unrendered] = contacts;
  if (!refused || !timedOut || !delivered || !read || !stopped || !sentOnly || !unrendered)
    throw new Error('contacts missing');
  t.provider.respondWith((request) => {
    const phone = digits(String((request.body as { phone?: string }).phone ?? ''));
    if (phone === digits(refused.phone))
      return { status: 200, body: { sent: false, message: '=HYPERLINK("http://x.test","y")' } };
    if (phone === digits(timedOut.phone))
      return { status: 200, delayMs: 1500, body: { sent: true, id: 'late' } };
    return undefined;
  });
  const campaign = await createCampaign(t, {
    templateId,
    listIds: [listId],
    ratePerSecond: 100,
    followUp: { body: 'Thanks {{first_name}}!' },
  });
  const id = String(campaign.id);
  // one in seven skipped: over MAX_SKIPPED_PERCENT, accepted
  expect((await api(t).post(`/v1/campaigns/${id}/start`, { acceptSkips: true })).status).toBe(200);
  await waitCompleted(t, id, 20_000);
  const runs = (await api(t).get(`/v1/campaigns/${id}/runs`)).body.data as Json[];
  const runId = String(runs[0]?.id);
  const page = (await api(t).get(`/v1/campaigns/${id}/messages?limit=1000`)).body.data as Json[];
  const providerId = (phone: string) => {
    const row = page.find((m) => m.phone === phone && m.kind === 'template');
    if (typeof row?.providerMessageId !== 'string') throw new Error(`no provider id for ${phone}`);
    return row.providerMessageId;
  };
  return {
    id,
    runId,
    providerId,
    contacts: { refused, timedOut, delivered, read, stopped, sentOnly, unrendered },
  };
}

export async function statsOf(t: TestService, id: string, query = ''): Promise<Json> {
  const response = await api(t).get(`/v1/campaigns/${id}/stats${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/**
 * The counters against the oracle: figuresSql's recount of the message rows (and a count of the
 * open windows and keyword opt-outs), compared with what GET .../stats answers from the counters
 * for the campaign and each of its runs; then every key of message_counts and reply_counts in the
 * database against a GROUP BY of messages.
 */
export async function expectCountersEqualRecount(t: TestService, campaignId: string) {
  const { sql } = t.service.ctx.database;
  const recount = async (column: 'campaign_id' | 'run_id', id: string) => {
    const [row] = await sql<Parameters<typeof toStats>[0][]>`
      select ${sql.unsafe(figuresSql)},
        (select count(*) from opt_outs o
          where o.${sql(column)} = ${id} and o.source = 'keyword')::int as opted_out,
        (select count(*) from conversations v
          where v.${sql(column)} = ${id} and v.window_expires_at > now())::int as windows_open
      from messages m where m.${sql(column)} = ${id}`;
    if (!row) throw new Error('no recount');
    return toStats(row);
  };
  // the counters' figures; byErrorCode and byPricingCategory are index counts, not counters
  expect(await statsOf(t, campaignId)).toMatchObject(await recount('campaign_id', campaignId));
  const runs = await sql<{ id: string }[]>`select id from runs where campaign_id = ${campaignId}`;
  for (const { id } of runs)
    expect(await statsOf(t, campaignId, `?run=${id}`), `run ${id}`).toMatchObject(
      await recount('run_id', id),
    );
  expect(await countersOffRecount(sql)).toEqual([]);
}
