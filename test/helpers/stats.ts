import { expect } from 'vitest';
import { api, createCampaign, type Json } from './api';
import { factories } from './factories';
import { type TestService, waitFor } from './service';

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
  expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
  await waitFor(async () => (await api(t).get(`/v1/campaigns/${id}`)).body.status === 'completed', {
    timeoutMs: 20_000,
    what: 'the campaign to complete',
  });
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
