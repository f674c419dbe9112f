import { expect } from 'vitest';
import { factories } from './factories';
import { type TestService, waitFor } from './service';

export type Json = Record<string, unknown>;

/**
 * Who calls: a personal token, or a console session's cookie with (or without) its CSRF token.
 * Without one, the machine token (API_TOKEN).
 */
export type Credentials = { token: string } | { cookie: string; csrfToken?: string };

function credentialHeaders(as: Credentials): Record<string, string> {
  if ('token' in as) return { authorization: `Bearer ${as.token}` };
  return { cookie: as.cookie, ...(as.csrfToken ? { 'x-csrf-token': as.csrfToken } : {}) };
}

/** JSON calls against the test service; answers are parsed whatever their status. */
export function api(t: TestService, as?: Credentials) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await t.request(path, {
      method,
      auth: as === undefined,
      headers: {
        ...(as ? credentialHeaders(as) : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** A template and a list of `contacts` contacts with a first_name: what a campaign needs. */
export async function campaignSetup(t: TestService, contacts = 1) {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const listId = await f.list();
  for (let i = 0; i < contacts; i++) {
    const contact = await f.contact({ first_name: `Name${i}` });
    await f.addToList(listId, contact.id);
  }
  return { templateId, listId };
}

export async function createCampaign(t: TestService, body: Json): Promise<Json> {
  const response = await api(t).post('/v1/campaigns', { name: 'Spring sale', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function runsOf(t: TestService, campaignId: unknown): Promise<Json[]> {
  const response = await api(t).get(`/v1/campaigns/${String(campaignId)}/runs`);
  expect(response.status).toBe(200);
  return response.body.data as Json[];
}

/** A campaign over `contacts` new contacts, started by hand; answers its id. */
export async function startCampaign(
  t: TestService,
  contacts: number,
  body: Json = {},
): Promise<string> {
  const { templateId, listId } = await campaignSetup(t, contacts);
  const campaign = await createCampaign(t, { templateId, listIds: [listId], ...body });
  expect((await api(t).post(`/v1/campaigns/${campaign.id}/start`)).status).toBe(200);
  return String(campaign.id);
}

/** Waits until the campaign is `completed`. */
export function waitCompleted(t: TestService, id: string, timeoutMs = 30_000) {
  return waitFor(
    async () => (await api(t).get(`/v1/campaigns/${id}`)).body.status === 'completed',
    { timeoutMs, what: `campaign ${id} to complete` },
  );
}
