import createClient from 'openapi-fetch';
import { expect, it } from 'vitest';
// Generated from the app's OpenAPI document by `npm run check:openapi`, which then type-checks
// this file against it (tsconfig.json beside it): a request shape the document does not allow
// fails that step. vitest erases the import, so the test runs without the file too.
import type { paths } from '../../.tmp/openapi/schema';
import { TEST_API_TOKEN, TEST_WEBHOOK_SECRET, useTestService, waitFor } from '../helpers/service';
import { sessionOf } from '../helpers/users';
import { waitApplied } from '../helpers/webhooks';

const t = useTestService();

/** Fails with the problem document when a call did not answer `status`. */
function expectStatus(result: { response: Response; error?: unknown }, status: number) {
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
}

it('a client generated from the OpenAPI document makes the requests the service takes', async () => {
  // Answers typed by their JSON content (the messages route also streams CSV).
  const client = createClient<paths, `${string}/json`>({
    baseUrl: t.baseUrl,
    headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
  });
  const phone = '+4915100000081';

  const list = await client.POST('/v1/lists', { body: { name: 'typed client' } });
  expectStatus(list, 201);
  const listId = list.data?.id ?? '';
  const csv = `phone,first_name\n${phone},Ann\n015100000082,Ben\n`;
  const upload = await client.POST('/v1/lists/{listId}/imports', {
    params: { path: { listId }, query: { defaultCountry: 'DE', delimiter: ',' } },
    body: csv,
    bodySerializer: (text) => text,
    headers: { 'content-type': 'text/csv' },
  });
  expectStatus(upload, 202);
  const form = await client.POST('/v1/lists/{listId}/imports', {
    params: { path: { listId }, query: { phoneColumn: 'phone', defaultCountry: 'DE' } },
    body: { file: csv },
    bodySerializer: (body) => {
      const data = new FormData();
      const file = typeof body === 'string' ? body : body.file;
      data.append('file', new Blob([file], { type: 'text/csv' }), 'contacts.csv');
      return data;
    },
  });
  expectStatus(form, 202);
  const importId = form.data?.id ?? '';
  await waitFor(
    async () =>
      (await client.GET('/v1/imports/{importId}', { params: { path: { importId } } })).data
        ?.status === 'completed',
    { what: 'the import to complete' },
  );

  const template = await client.POST('/v1/templates', {
    body: {
      name: 'spring_sale',
      namespace: 'ns_1',
      language: { code: 'en' },
      category: 'marketing',
      parameters: ['{{first_name|friend}}'],
    },
  });
  expectStatus(template, 201);
  const base = { templateId: template.data?.id ?? '', listIds: [listId] };

  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  for (const schedule of [
    undefined,
    { at: inAnHour },
    { cron: '0 9 * * 1', timezone: 'Europe/Paris' },
    { cron: '0 9 * * 1' },
  ]) {
    const created = await client.POST('/v1/campaigns', {
      body: { name: 'Spring sale', ...base, ...(schedule ? { schedule } : {}), ratePerSecond: 5 },
    });
    expectStatus(created, 201);
  }
  const draft = await client.POST('/v1/campaigns', {
    body: { name: 'Spring sale', ...base, followUp: { body: 'Thanks {{first_name|friend}}' } },
  });
  const path = { campaignId: draft.data?.id ?? '' };
  for (const schedule of [{ cron: '0 9 * * 1', timezone: 'Europe/Paris' }, null]) {
    const changed = await client.PATCH('/v1/campaigns/{campaignId}', {
      params: { path },
      body: { schedule, ratePerSecond: null },
    });
    expectStatus(changed, 200);
    expect(changed.data?.schedule).toEqual(schedule);
  }

  expectStatus(
    await client.POST('/v1/campaigns/{campaignId}/start', {
      params: { path },
      body: { acceptSkips: false },
    }),
    200,
  );
  await waitFor(
    async () =>
      (await client.GET('/v1/campaigns/{campaignId}/stats', { params: { path } })).data?.sent === 2,
    { what: 'both contacts to be sent the template' },
  );
  const retried = await client.POST('/v1/campaigns/{campaignId}/retry', {
    params: { path },
    body: { statuses: ['failed'] },
  });
  expectStatus(retried, 202);
  const messages = await client.GET('/v1/campaigns/{campaignId}/messages', {
    params: { path, query: { status: 'sent', limit: 10 } },
  });
  expect(messages.data?.data).toHaveLength(2);

  const reply = await client.POST('/webhooks/chat-api', {
    params: { query: { secret: TEST_WEBHOOK_SECRET } },
    body: {
      messages: [
        {
          id: 'typed-reply-1',
          body: 'Yes please',
          fromMe: false,
          chatId: '4915100000081@c.us',
          time: Math.floor(Date.now() / 1000),
        },
      ],
      instanceId: '777',
    },
  });
  expectStatus(reply, 200);
  await waitApplied(t);
  const sent = await client.POST('/v1/messages', { body: { phone, body: 'Thanks, Ann!' } });
  expectStatus(sent, 202);
  const thread = await client.GET('/v1/conversations/{phone}/messages', {
    params: { path: { phone }, query: { limit: 50 } },
  });
  expectStatus(thread, 200);
  const conversations = await client.GET('/v1/conversations', {
    params: { query: { open: 'true' } },
  });
  expect(conversations.data?.data.map((c) => c.phone)).toContain(phone);
  const overview = await client.GET('/v1/stats/overview', {
    params: { query: { from: new Date(Date.now() - 86_400_000).toISOString(), to: inAnHour } },
  });
  expect(overview.data?.totals.sent).toBeGreaterThanOrEqual(2);
});

it('a generated client manages users and tokens, and reads the audit trail', async () => {
  const machine = createClient<paths, `${string}/json`>({
    baseUrl: t.baseUrl,
    headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
  });
  const created = await machine.POST('/v1/users', {
    body: {
      email: 'typed@example.com',
      name: 'Typed',
      role: 'analyst',
      password: 'a typed password',
    },
  });
  expectStatus(created, 201);
  const path = { userId: created.data?.id ?? '' };
  const changed = await machine.PATCH('/v1/users/{userId}', {
    params: { path },
    body: { role: 'marketer', disabled: false },
  });
  expect(changed.data?.role).toBe('marketer');
  const users = await machine.GET('/v1/users', { params: { query: { limit: 10 } } });
  expect(users.data?.data.map((u) => u.email)).toContain('typed@example.com');
  expect((await machine.GET('/v1/me')).data?.kind).toBe('machine');

  const session = await sessionOf(t, { email: 'typed@example.com', password: 'a typed password' });
  const signedIn = createClient<paths, `${string}/json`>({
    baseUrl: t.baseUrl,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
  });
  const token = await signedIn.POST('/v1/tokens', { body: { name: 'typed' } });
  expectStatus(token, 201);
  const tokens = await signedIn.GET('/v1/tokens');
  expect(tokens.data?.data.map((x) => x.name)).toEqual(['typed']);
  expectStatus(
    await signedIn.DELETE('/v1/tokens/{tokenId}', {
      params: { path: { tokenId: token.data?.id ?? '' } },
    }),
    204,
  );

  const audit = await machine.GET('/v1/audit', {
    params: { query: { action: 'user.create', from: new Date(Date.now() - 60_000).toISOString() } },
  });
  expect(audit.data?.data.map((e) => e.target.id)).toContain(path.userId);
  expectStatus(await machine.DELETE('/v1/users/{userId}', { params: { path } }), 204);
});
