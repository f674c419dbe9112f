import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { CloudApiProvider } from '../src/provider/cloud-api';
import { MAX_TEMPLATE_PAGES } from '../src/provider/cloud-api-templates';
import { ProviderError, type SendOutcome, type TemplateSend } from '../src/provider/types';
import { FakeGraph, metaError } from './helpers/fake-graph';

const VERSION = 'v26.0';
let graph: FakeGraph;
let provider: CloudApiProvider;
/** Every outcome and error message the provider produced: none may hold the token. */
const said: unknown[] = [];

function cloudApi(overrides: { accessToken?: string; timeoutMs?: number; url?: string } = {}) {
  return new CloudApiProvider({
    graphApiUrl: overrides.url ?? graph.url,
    graphApiVersion: VERSION,
    phoneNumberId: graph.phoneNumberId,
    businessAccountId: graph.businessAccountId,
    accessToken: overrides.accessToken ?? graph.token,
    timeoutMs: overrides.timeoutMs ?? 2000,
  });
}

async function send(send: TemplateSend, via = provider): Promise<SendOutcome> {
  const outcome = await via.sendTemplate(send);
  said.push(outcome);
  return outcome;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError: ${error}`);
  said.push(error.message);
  return error;
}

const spring: TemplateSend = {
  to: '+447700900123',
  template: {
    name: 'spring_sale',
    language: 'en_GB',
    namespace: 'ignored',
    policy: 'deterministic',
  },
  parameters: { format: 'positional', body: [{ text: 'Anna' }, { text: '20%' }] },
};

beforeAll(async () => {
  graph = await FakeGraph.start();
  provider = cloudApi();
});
afterEach(() => graph.reset());
afterAll(async () => {
  expect(JSON.stringify(said)).not.toContain(graph.token);
  await graph.stop();
});

describe('the Cloud API provider, over HTTP to a fake Graph API', () => {
  it('sends a positional template as Meta wants it, with the bearer token, and keeps the wamid', async () => {
    const outcome = await send(spring);
    const [request] = graph.sends();
    expect(request).toMatchObject({
      version: VERSION,
      path: `${graph.phoneNumberId}/messages`,
      bearer: graph.token,
    });
    expect(request?.query.has('access_token')).toBe(false);
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900123',
      type: 'template',
      template: {
        name: 'spring_sale',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Anna' },
              { type: 'text', text: '20%' },
            ],
          },
        ],
      },
    });
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(outcome.kind === 'accepted' && outcome.providerMessageId).toMatch(/^wamid\./);
  });

  it('names named parameters, leaves components out without parameters, and sends free-form text', async () => {
    await send({
      ...spring,
      parameters: { format: 'named', body: [{ name: 'first_name', text: 'Anna' }] },
    });
    await send({ ...spring, parameters: { format: 'positional', body: [] } });
    expect(await provider.sendMessage({ to: '+447700900123', text: 'Thanks!' })).toMatchObject({
      kind: 'accepted',
    });
    const [named, bare, text] = graph.sends().map((r) => r.body as Record<string, unknown>);
    expect(named?.template).toEqual({
      name: 'spring_sale',
      language: { code: 'en_GB' },
      components: [
        {
          type: 'body',
          parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Anna' }],
        },
      ],
    });
    expect(bare?.template).toEqual({ name: 'spring_sale', language: { code: 'en_GB' } });
    expect(text).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900123',
      type: 'text',
      text: { body: 'Thanks!' },
    });
  });

  it('refuses a named parameter without a name before sending: the template is at fault', async () => {
    const outcome = await send({
      ...spring,
      parameters: { format: 'named', body: [{ name: 'a', text: 'x' }, { text: 'y' }] },
    });
    expect(outcome).toEqual({ kind: 'template', reason: 'named parameter 2 has no name' });
    expect(graph.sends()).toHaveLength(0);
  });

  it('takes a message held for a quality assessment as accepted', async () => {
    graph.answerFor('447700900123', {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '447700900123', wa_id: '447700900123' }],
        messages: [{ id: 'wamid.HELD', message_status: 'held_for_quality_assessment' }],
      },
    });
    expect(await send(spring)).toEqual({ kind: 'accepted', providerMessageId: 'wamid.HELD' });
  });

  it("classifies every class of Meta's error codes, keeping the code and title", async () => {
    const cases: [number, Partial<Record<string, unknown>>][] = [
      [130429, { kind: 'retryable', rateLimited: true }],
      [131056, { kind: 'retryable', rateLimited: false, recipientLimited: true }],
      [131049, { kind: 'refused' }],
      [131050, { kind: 'refused', optOut: true }],
      [131026, { kind: 'refused' }],
      [131047, { kind: 'refused' }],
      [100, { kind: 'refused' }],
      ...[132000, 132001, 132005, 132007, 132012, 132015, 132016].map(
        (code): [number, Record<string, unknown>] => [code, { kind: 'template' }],
      ),
      [190, { kind: 'auth' }],
      [131048, { kind: 'sender' }],
      [131042, { kind: 'sender' }],
      [130472, { kind: 'holdout' }],
      [131000, { kind: 'retryable', rateLimited: false }],
      [1, { kind: 'retryable', rateLimited: false }],
      [2, { kind: 'retryable', rateLimited: false }],
    ];
    for (const [code, expected] of cases) {
      graph.failNext(metaError(code, `title of ${code}`));
      const outcome = await send(spring);
      expect(outcome, String(code)).toMatchObject({
        ...expected,
        reason: `title of ${code} (${code})`,
        error: { code, title: `title of ${code}` },
      });
    }
    // the same code for one recipient only: the others go on
    graph.answerFor('447700900999', metaError(131026, 'Message undeliverable'));
    expect(await send({ ...spring, to: '+447700900999' })).toMatchObject({ kind: 'refused' });
    expect(await send(spring)).toMatchObject({ kind: 'accepted' });
  });

  it('judges an answer without an error code by its HTTP status, and bounds a long title', async () => {
    graph.failNext({ status: 401, body: {} });
    expect(await send(spring)).toMatchObject({ kind: 'auth', reason: 'the provider answered 401' });
    graph.failNext({ status: 503 });
    expect(await send(spring)).toMatchObject({ kind: 'retryable', rateLimited: false });
    graph.failNext({ status: 429, headers: { 'retry-after': '3' } });
    expect(await send(spring)).toMatchObject({ rateLimited: true, retryAfterMs: 3000 });
    graph.failNext({ status: 200, body: { messaging_product: 'whatsapp' } });
    expect(await send(spring)).toMatchObject({ kind: 'unknown' });
    graph.failNext(metaError(131026, 'x'.repeat(5000)));
    const long = await send(spring);
    expect(long.kind !== 'accepted' && long.error?.title.length).toBe(200);
  });

  it('calls a wrong token auth (190), a timeout or a lost connection unknown, no connection retryable', async () => {
    expect(await send(spring, cloudApi({ accessToken: 'EAAwrong' }))).toMatchObject({
      kind: 'auth',
      error: { code: 190 },
    });
    graph.failNext({ status: 200, delayMs: 1000 });
    expect(await send(spring, cloudApi({ timeoutMs: 200 }))).toMatchObject({ kind: 'unknown' });
    graph.failNext({ status: 200, destroy: true });
    expect(await send(spring)).toMatchObject({ kind: 'unknown' });
    const nobody = cloudApi({ url: `http://127.0.0.1:${await freePort()}` });
    expect(await send(spring, nobody)).toMatchObject({
      kind: 'retryable',
      reason: 'connection failed (ECONNREFUSED)',
    });
  });

  it('never lets the token out, even when an answer repeats it', async () => {
    graph.failNext(metaError(131026, `bad request for ${graph.token}`));
    const outcome = await send(spring);
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'bad request for [token] (131026)' });
    graph.failNext(metaError(100, `profile refused for ${graph.token}`));
    const error = await failure(provider.getProfile());
    expect(error.message).toBe('the Graph API answered 400: profile refused for [token] (100)');
  });
});

describe("the Cloud API provider's profile and templates", () => {
  it('reads and updates the business profile, verticals in the service’s words', async () => {
    expect(await provider.getProfile()).toEqual({
      about: 'Succulent specialists',
      address: '1 Hacker Way',
      description: 'We sell plants.',
      email: 'shop@example.com',
      websites: ['https://example.com/'],
      vertical: 'Shopping and Retail',
    });
    await provider.updateProfile({ description: 'New description', vertical: 'Restaurant' });
    const update = graph.requests.at(-1);
    expect(update).toMatchObject({ method: 'POST', bearer: graph.token });
    expect(update?.body).toEqual({
      messaging_product: 'whatsapp',
      description: 'New description',
      vertical: 'RESTAURANT',
    });
    expect(await provider.getProfile()).toMatchObject({
      description: 'New description',
      vertical: 'Restaurant',
    });
    graph.failNext({ status: 500 });
    expect((await failure(provider.getProfile())).status).toBe(500);
    graph.failNext({ status: 200, body: { success: false } });
    await failure(provider.updateProfile({ email: '' }));
  });

  it('reads every page of templates, following next, into domain templates', async () => {
    graph.templates = Array.from({ length: 250 }, (_, i) => ({
      id: String(1000 + i),
      name: `template_${i}`,
      language: 'en_US',
      status: i % 2 ? 'APPROVED' : 'PAUSED',
      category: 'MARKETING',
      ...(i === 7 ? { parameter_format: 'NAMED' } : {}),
      components: [{ type: 'BODY', text: 'Hi {{1}}' }],
      quality_score: { score: 'GREEN', date: 1764072000 },
    }));
    graph.templates.push({ name: '' }, { name: 'no_status', language: 'en' });
    const catalogue = await provider.listTemplates();
    expect(catalogue.templates).toHaveLength(250);
    expect(catalogue.unreadable).toBe(2);
    expect(catalogue.templates[7]).toEqual({
      id: '1007',
      name: 'template_7',
      language: 'en_US',
      status: 'approved',
      category: 'marketing',
      parameterFormat: 'named',
      components: [{ type: 'BODY', text: 'Hi {{1}}' }],
      quality: 'green',
    });
    expect(catalogue.templates[0]).toMatchObject({
      status: 'paused',
      parameterFormat: 'positional',
    });
    const pages = graph.requests.filter((r) => r.path.endsWith('/message_templates'));
    expect(pages).toHaveLength(3);
    expect(pages.every((r) => r.bearer === graph.token)).toBe(true);
    expect(pages[0]?.query.get('fields')).toBe(
      'name,status,category,language,components,parameter_format,quality_score',
    );
    expect(pages[0]?.query.get('limit')).toBe('100');
  });

  it('stops at the page bound, and never follows a next page to another host', async () => {
    graph.templates = Array.from({ length: MAX_TEMPLATE_PAGES * 100 + 1 }, (_, i) => ({
      id: String(i),
      name: `t${i}`,
      language: 'en',
      status: 'APPROVED',
    }));
    const tooMany = await failure(provider.listTemplates());
    expect(tooMany.message).toBe(
      `the business account lists more than ${MAX_TEMPLATE_PAGES} pages of templates`,
    );
    graph.reset();
    graph.failNext({
      status: 200,
      body: {
        data: [],
        paging: { next: `http://elsewhere.example/v26.0/x?access_token=${graph.token}` },
      },
    });
    const elsewhere = await failure(provider.listTemplates());
    expect(elsewhere.message).toBe('the Graph API pointed its next page of templates elsewhere');
    expect(graph.requests).toHaveLength(1);
  });
});
