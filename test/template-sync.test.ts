import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueTemplateSync } from '../src/templates/template-sync.job';
import { api, createCampaign, type Json, waitCompleted } from './helpers/api';
import { factories } from './helpers/factories';
import { FakeGraph, type GraphTemplate, metaError } from './helpers/fake-graph';
import {
  captureLogger,
  startTestService,
  type TestService,
  useServicePerTest,
  waitFor,
} from './helpers/service';

// Meta's catalogue through a fake Graph API, for the default sender as a Cloud API number.
let graph: FakeGraph;
let t: TestService;
let senderId: string;

const cloudEnv = (g: FakeGraph) => ({
  CHAT_API_URL: '',
  CHAT_API_TOKEN: '',
  WHATSAPP_ACCESS_TOKEN: g.token,
  WHATSAPP_PHONE_NUMBER_ID: g.phoneNumberId,
  WHATSAPP_BUSINESS_ACCOUNT_ID: g.businessAccountId,
  WHATSAPP_APP_SECRET: 'app-secret-of-the-test-0123',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-of-the-test',
  GRAPH_API_URL: g.url,
  SEND_RATE_PER_SECOND: '100',
});

/** Meta's template entry, as `GET {wabaId}/message_templates` lists it. */
function metaTemplate(id: number, name: string, more: Partial<GraphTemplate> = {}): GraphTemplate {
  return {
    id: String(id),
    name,
    language: 'en_GB',
    status: 'APPROVED',
    category: 'MARKETING',
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Our spring sale is on.' }],
    quality_score: { score: 'GREEN' },
    ...more,
  };
}

/** 150 templates (two pages): a positional one with two parameters, a named one, a paused one. */
function catalogue(): GraphTemplate[] {
  return [
    metaTemplate(1, 'spring_sale', {
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Spring' },
        { type: 'BODY', text: 'Hi {{1}}, {{2}} off today.', example: { body_text: [['A', 'B']] } },
      ],
    }),
    metaTemplate(2, 'order_ready', {
      parameter_format: 'NAMED',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Order {{order_id}} is ready, {{first_name}}.' }],
    }),
    metaTemplate(3, 'old_offer', { status: 'PAUSED', quality_score: { score: 'RED' } }),
    metaTemplate(4, 'appealed', { status: 'IN_APPEAL' }),
    ...Array.from({ length: 146 }, (_, i) => metaTemplate(100 + i, `filler_${i}`)),
  ];
}

async function sync(id = senderId) {
  return api(t).post(`/v1/senders/${id}/templates/sync`);
}

async function synced(name: string): Promise<Json> {
  const [row] = await t.service.ctx.database.sql<{ id: string }[]>`
    select id from templates where name = ${name} and source = 'synced' and deleted_at is null`;
  if (!row) throw new Error(`no synced template ${name}`);
  return (await api(t).get(`/v1/templates/${row.id}`)).body;
}

async function audienceOf(attributes: Record<string, string>[]): Promise<string> {
  const f = factories(t);
  const listId = await f.list();
  for (const each of attributes) await f.addToList(listId, (await f.contact(each)).id);
  return listId;
}

beforeAll(async () => {
  graph = await FakeGraph.start();
  t = await startTestService({ env: cloudEnv(graph) });
  const senders = (await api(t).get('/v1/senders')).body.data as Json[];
  senderId = String(senders.find((sender) => sender.isDefault)?.id);
});
afterEach(() => graph.reset());
afterAll(async () => {
  await t?.stop();
  await graph?.stop();
});

describe('POST /v1/senders/{senderId}/templates/sync', () => {
  it('reads every page of the catalogue into templates, then only what changed', async () => {
    graph.templates = catalogue();
    const first = await sync();
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toEqual({ synced: 150, added: 150, updated: 0, gone: 0, unreadable: 0 });
    const pages = graph.requests.filter((r) => r.path.endsWith('/message_templates'));
    expect(pages).toHaveLength(2);
    expect(await synced('spring_sale')).toMatchObject({
      senderId,
      source: 'synced',
      status: 'approved',
      category: 'marketing',
      parameterFormat: 'positional',
      quality: 'green',
      language: { code: 'en_GB' },
      namespace: '',
      parameters: [],
      components: [{ type: 'HEADER' }, { type: 'BODY', text: 'Hi {{1}}, {{2}} off today.' }],
    });
    expect(await synced('order_ready')).toMatchObject({
      parameterFormat: 'named',
      category: 'utility',
      parameters: {},
    });
    expect(await synced('old_offer')).toMatchObject({ status: 'paused', quality: 'red' });
    expect(await synced('appealed')).toMatchObject({ status: 'pending' });

    // parameters set here survive the next sync; Meta's changes and removals are taken
    const spring = await synced('spring_sale');
    const mapped = ['{{first_name|there}}', '{{discount|10%}}'];
    expect((await api(t).patch(`/v1/templates/${spring.id}`, { parameters: mapped })).status).toBe(
      200,
    );
    graph.templates = catalogue()
      .filter((template) => template.name !== 'filler_0')
      .map((template) =>
        template.name === 'spring_sale'
          ? { ...template, quality_score: { score: 'YELLOW' } }
          : template,
      );
    graph.templates.push(metaTemplate(999, 'summer_sale'));
    const second = await sync();
    expect(second.body).toEqual({ synced: 150, added: 1, updated: 1, gone: 1, unreadable: 0 });
    expect(await synced('spring_sale')).toMatchObject({ quality: 'yellow', parameters: mapped });
    expect(await synced('filler_0')).toMatchObject({ status: 'disabled' });
    expect((await sync()).body).toMatchObject({ added: 0, updated: 0, gone: 0 });
  });

  it('is a 502 that changes nothing when Meta refuses the token or fails mid-way', async () => {
    graph.templates = catalogue();
    await sync();
    const before = await t.service.ctx.database.sql`select * from templates order by id`;
    graph.templates = [metaTemplate(5000, 'brand_new')];
    graph.failNext(metaError(190, 'Error validating access token'));
    const refused = await sync();
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'provider_failed' });
    expect(String(refused.body.detail)).toContain('(190)');
    expect(String(refused.body.detail)).not.toContain(graph.token);
    // the default sender's token is the environment's: held, and the fix says where it lives
    expect(String(refused.body.detail)).toContain(`sender ${senderId}`);
    expect(String(refused.body.detail)).toContain('replace WHATSAPP_ACCESS_TOKEN and restart');
    expect((await api(t).get(`/v1/senders/${senderId}`)).body).toMatchObject({
      status: 'auth_failed',
      statusReason: 'the provider refused the token (401, code 190): check WHATSAPP_ACCESS_TOKEN',
    });
    // (what a restart does for the default sender, so that the tests after this one send)
    await t.service.ctx.database.sql`
      update senders set status = 'active', status_reason = null where id = ${senderId}`;
    // page 1 answers, page 2 fails: the first page is not stored alone
    graph.failNext({
      status: 200,
      body: {
        data: [metaTemplate(5000, 'brand_new')],
        paging: {
          next: `${graph.url}/${t.config.GRAPH_API_VERSION}/${graph.businessAccountId}/message_templates?after=1`,
        },
      },
    });
    graph.failNext(metaError(2, 'Service temporarily unavailable'));
    expect((await sync()).status).toBe(502);
    expect(await t.service.ctx.database.sql`select * from templates order by id`).toEqual(before);
  });

  it('holds a sender whose token Meta refuses auth_failed, and names the fix; a new token syncs again', async () => {
    const created = await api(t).post('/v1/senders', {
      name: 'Brand expired',
      provider: 'cloud-api',
      credentials: {
        phoneNumberId: '777000222',
        businessAccountId: graph.businessAccountId,
        accessToken: 'EAAexpiredToken0123',
        appSecret: 'expired-app-secret',
        verifyToken: 'expired-verify-token',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = String(created.body.id);
    graph.templates = [metaTemplate(7000, 'expired_sender_only')];
    // the fake Graph API answers a wrong bearer token as Meta does: 401, code 190
    const refused = await sync(id);
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'provider_failed' });
    const detail = String(refused.body.detail);
    expect(detail).toContain(`Meta refused sender ${id}'s access token`);
    expect(detail).toContain('(190)');
    expect(detail).toContain('auth_failed');
    expect(detail).toContain(`PATCH /v1/senders/${id}`);
    expect(detail).not.toContain('EAAexpiredToken0123');
    expect((await api(t).get(`/v1/senders/${id}`)).body).toMatchObject({
      status: 'auth_failed',
      statusReason: 'the provider refused the token (401, code 190): check its credentials',
    });
    const [stored] = await t.service.ctx.database.sql<{ count: number }[]>`
      select count(*)::int as count from templates where sender_id = ${id}`;
    expect(stored?.count).toBe(0);
    // counted as an automatic pause, shown in the sender's status gauge, as dispatch's holds are
    const metrics = await (await t.request('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`sender_status\\{[^}]*${id}[^}]*auth_failed[^}]*\\} 1`));

    // held once: a second refusal leaves the hold (and its reason) as it is, and says so
    const again = await sync(id);
    expect(again.status).toBe(502);
    expect(String(again.body.detail)).toContain('the sender was not active, and stays as it was');

    // replaced credentials bring it back, and the catalogue is read
    const replaced = await api(t).patch(`/v1/senders/${id}`, {
      credentials: {
        phoneNumberId: '777000222',
        businessAccountId: graph.businessAccountId,
        accessToken: graph.token,
        appSecret: 'expired-app-secret',
        verifyToken: 'expired-verify-token',
      },
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.status).toBe('active');
    expect((await sync(id)).status).toBe(202);

    // a permission the token lacks (code 10, a 403) is a 502 that holds nothing
    graph.failNext(metaError(10, 'Application does not have permission for this action', 403));
    const forbidden = await sync(id);
    expect(forbidden.status).toBe(502);
    expect(String(forbidden.body.detail)).toContain('(10)');
    expect((await api(t).get(`/v1/senders/${id}`)).body.status).toBe('active');
    expect((await api(t).delete(`/v1/senders/${id}`)).status).toBeLessThan(300);
  });

  it('is a 409 for a sender that is not a Cloud API number, a 404 for none', async () => {
    const sandbox = await api(t).post('/v1/senders', { name: 'Test bench', provider: 'sandbox' });
    expect(sandbox.status).toBe(201);
    const refused = await sync(String(sandbox.body.id));
    expect(refused.status).toBe(409);
    expect(String(refused.body.detail)).toContain('sandbox sender');
    expect((await sync('00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});

describe('PATCH /v1/templates/{templateId}', () => {
  beforeAll(async () => {
    graph.templates = catalogue();
    await sync();
  });

  it('takes parameters that fit the body, and names what does not', async () => {
    const named = await synced('order_ready');
    const wrongNames = await api(t).patch(`/v1/templates/${named.id}`, {
      parameters: { first_name: '{{first_name}}', order: '{{order}}' },
    });
    expect(wrongNames.status).toBe(422);
    expect(wrongNames.body.errors).toEqual([
      { path: 'parameters.order_id', message: 'is missing: the body names it' },
      { path: 'parameters.order', message: expect.stringContaining('not a parameter of the body') },
    ]);
    const asList = await api(t).patch(`/v1/templates/${named.id}`, { parameters: ['a', 'b'] });
    expect(asList.status).toBe(422);
    const broken = await api(t).patch(`/v1/templates/${named.id}`, {
      parameters: { first_name: '{{first_name', order_id: '{{order_id}}' },
    });
    expect(broken.status).toBe(422);
    const positional = await synced('spring_sale');
    const tooFew = await api(t).patch(`/v1/templates/${positional.id}`, { parameters: ['x'] });
    expect(tooFew.status).toBe(422);
    expect(String(tooFew.body.detail)).toContain('2 parameters, 1 given');
    const fits = await api(t).patch(`/v1/templates/${named.id}`, {
      parameters: { order_id: '{{order_id}}', first_name: '{{first_name|there}}' },
    });
    expect(fits.status).toBe(200);
    expect(fits.body.parameters).toEqual({
      first_name: '{{first_name|there}}',
      order_id: '{{order_id}}',
    });
  });
});

describe('starting a campaign with a synced template', () => {
  beforeAll(async () => {
    graph.templates = catalogue();
    await sync();
  });

  it('needs its parameters set, then sends named ones with their names, in the body’s order', async () => {
    const named = await synced('order_ready');
    const listId = await audienceOf([{ first_name: 'Anna', order: 'A-17' }]);
    // as a first sync leaves them (the PATCH tests above set them)
    await t.service.ctx.database.sql`
      update templates set parameters = '{}'::jsonb where id = ${String(named.id)}`;
    const campaign = await createCampaign(t, { templateId: named.id, listIds: [listId] });
    const unset = await api(t).post(`/v1/campaigns/${campaign.id}/start`);
    expect(unset.status).toBe(409);
    expect(unset.body).toMatchObject({ code: 'template_parameters_unset' });
    expect(String(unset.body.detail)).toContain('parameters.first_name');
    const preview = await api(t).get(`/v1/campaigns/${campaign.id}/preview`);
    expect(preview.body.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('starting would be refused')]),
    );

    const parameters = { order_id: '{{order}}', first_name: '{{first_name|there}}' };
    expect((await api(t).patch(`/v1/templates/${named.id}`, { parameters })).status).toBe(200);
    expect((await api(t).post(`/v1/campaigns/${campaign.id}/start`)).status).toBe(200);
    await waitCompleted(t, String(campaign.id));
    const [send] = graph.sends();
    expect(send?.body).toMatchObject({
      template: {
        name: 'order_ready',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'order_id', text: 'A-17' },
              { type: 'text', parameter_name: 'first_name', text: 'Anna' },
            ],
          },
        ],
      },
    });
    const [message] = await t.service.ctx.database.sql<{ params: string[] }[]>`
      select params from messages where campaign_id = ${String(campaign.id)}`;
    expect(message?.params).toEqual(['A-17', 'Anna']);
  });

  it('refuses a template Meta has not approved, naming its status', async () => {
    const paused = await synced('old_offer');
    const listId = await audienceOf([{ first_name: 'Ben' }]);
    const campaign = await createCampaign(t, { templateId: paused.id, listIds: [listId] });
    const refused = await api(t).post(`/v1/campaigns/${campaign.id}/start`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'template_not_approved' });
    expect(String(refused.body.detail)).toContain('is paused at Meta');
    expect((await api(t).get(`/v1/campaigns/${campaign.id}`)).body.status).toBe('draft');
  });

  it('refuses a template of another business account', async () => {
    const other = await api(t).post('/v1/senders', {
      name: 'Brand US',
      provider: 'cloud-api',
      credentials: {
        phoneNumberId: '999000111',
        businessAccountId: '555000111',
        accessToken: 'EAAanotherToken',
        appSecret: 'another-app-secret',
        verifyToken: 'another-verify-token',
      },
    });
    expect(other.status).toBe(201);
    const spring = await synced('spring_sale');
    await api(t).patch(`/v1/templates/${spring.id}`, { parameters: ['{{first_name}}', '5%'] });
    const listId = await audienceOf([{ first_name: 'Cleo' }]);
    const campaign = await createCampaign(t, {
      templateId: spring.id,
      listIds: [listId],
      senderId: other.body.id,
    });
    const refused = await api(t).post(`/v1/campaigns/${campaign.id}/start`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'template_not_approved' });
    expect(String(refused.body.detail)).toContain('business account 555000111');
  });

  it('pauses a scheduled campaign whose template is not approved when its run is due', async () => {
    const paused = await synced('old_offer');
    const listId = await audienceOf([{ first_name: 'Dan' }]);
    const campaign = await createCampaign(t, {
      templateId: paused.id,
      listIds: [listId],
      schedule: { at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(campaign.status).toBe('scheduled');
    const after = await waitFor(
      async () => {
        const now = (await api(t).get(`/v1/campaigns/${campaign.id}`)).body;
        return now.status === 'paused' ? now : undefined;
      },
      { what: 'the campaign to pause at its slot' },
    );
    expect(String(after.pausedReason)).toContain('is paused at Meta');
    expect(await api(t).get(`/v1/campaigns/${campaign.id}/runs`)).toMatchObject({
      body: { data: [] },
    });
    expect(graph.sends()).toHaveLength(0);
  });
});

/** A positional template with a text header, a URL button, a quick reply and a phone button. */
const richOffer = () =>
  metaTemplate(8001, 'rich_offer', {
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}', example: { header_text: ['Anna'] } },
      { type: 'BODY', text: 'Your order {{1}} is on its way.' },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Track it', url: 'https://shop.example/o/{{1}}' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550001234' },
        ],
      },
    ],
  });

/** A named template with an image header, a copy-code button and a URL button without a variable. */
const imageCoupon = () =>
  metaTemplate(8002, 'image_coupon', {
    parameter_format: 'NAMED',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1n'] } },
      { type: 'BODY', text: 'Hi {{first_name}}, here is your coupon.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', example: 'SAVE10' },
          { type: 'URL', text: 'Shop', url: 'https://shop.example/' },
        ],
      },
    ],
  });

describe('header and button parameters', () => {
  beforeAll(async () => {
    graph.templates = [...catalogue(), richOffer(), imageCoupon()];
    await sync();
  });

  it('lists what the header and buttons take, and refuses values that do not fit', async () => {
    const rich = await synced('rich_offer');
    expect(rich).toMatchObject({
      headerParameter: null,
      buttonParameters: [],
      componentSlots: {
        header: { format: 'text' },
        buttons: [
          { index: 0, subType: 'url', required: true },
          { index: 1, subType: 'quick_reply', required: false },
        ],
      },
    });
    const coupon = await synced('image_coupon');
    expect(coupon.componentSlots).toEqual({
      header: { format: 'image' },
      buttons: [{ index: 0, subType: 'copy_code', required: true }],
    });
    const phoneButton = await api(t).patch(`/v1/templates/${rich.id}`, {
      buttonParameters: [{ index: 2, value: 'x' }],
    });
    expect(phoneButton.status).toBe(422);
    expect(phoneButton.body.errors).toEqual([
      {
        path: 'buttonParameters.0',
        message: 'button 2 takes no parameter (those that do: 0 (url), 1 (quick_reply))',
      },
    ]);
    const twice = await api(t).patch(`/v1/templates/${rich.id}`, {
      buttonParameters: [
        { index: 0, value: 'a' },
        { index: 0, value: 'b' },
      ],
    });
    expect(twice.status).toBe(422);
    expect(String(twice.body.detail)).toContain('button 0 is given twice');
    const notALink = await api(t).patch(`/v1/templates/${coupon.id}`, {
      headerParameter: 'a picture of a cat',
    });
    expect(notALink.status).toBe(422);
    expect(String(notALink.body.detail)).toContain('the header is a image: give its link');
    const noHeader = await api(t).patch(`/v1/templates/${(await synced('order_ready')).id}`, {
      headerParameter: '{{first_name}}',
    });
    expect(noHeader.status).toBe(422);
    expect(String(noHeader.body.detail)).toContain("the template's header takes no parameter");
    const brokenPlaceholder = await api(t).patch(`/v1/templates/${rich.id}`, {
      headerParameter: '{{first_name',
    });
    expect(brokenPlaceholder.status).toBe(422);
    // nothing refused was stored
    expect(await synced('rich_offer')).toMatchObject({
      headerParameter: null,
      buttonParameters: [],
    });
  });

  it('refuses to start until the header and required buttons are set, then sends Meta’s components', async () => {
    const rich = await synced('rich_offer');
    const coupon = await synced('image_coupon');
    const anna = '447700900001';
    const ben = '447700900002';
    const f = factories(t);
    const listId = await f.list();
    await f.addToList(
      listId,
      (
        await f.contact(
          { first_name: 'Anna', order: 'A-17', coupon: 'SAVE-A17', image: 'spring' },
          `+${anna}`,
        )
      ).id,
    );
    // Ben has no coupon: the image coupon skips him, naming the attribute
    await f.addToList(listId, (await f.contact({ first_name: 'Ben', order: 'B-2' }, `+${ben}`)).id);

    const richCampaign = await createCampaign(t, { templateId: rich.id, listIds: [listId] });
    expect(
      (await api(t).patch(`/v1/templates/${rich.id}`, { parameters: ['{{order}}'] })).status,
    ).toBe(200);
    const unset = await api(t).post(`/v1/campaigns/${richCampaign.id}/start`);
    expect(unset.status).toBe(409);
    expect(unset.body).toMatchObject({ code: 'template_parameters_unset' });
    expect(String(unset.body.detail)).toContain(
      "headerParameter: is missing: the template's header has a variable",
    );
    expect(String(unset.body.detail)).toContain('button 0 (url) is missing a value');
    expect(String(unset.body.detail)).not.toContain('button 1');

    const set = await api(t).patch(`/v1/templates/${rich.id}`, {
      headerParameter: '{{first_name|there}}',
      buttonParameters: [
        { index: 1, value: 'stop-{{order}}' },
        { index: 0, value: '{{order}}' },
      ],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({
      parameters: ['{{order}}'],
      headerParameter: '{{first_name|there}}',
    });
    expect((await api(t).post(`/v1/campaigns/${richCampaign.id}/start`)).status).toBe(200);
    await waitCompleted(t, String(richCampaign.id));
    const richSends = new Map(
      graph.sends().map((send) => [String((send.body as Json).to), send.body]),
    );
    expect(richSends.get(anna)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: anna,
      type: 'template',
      template: {
        name: 'rich_offer',
        language: { code: 'en_GB' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Anna' }] },
          { type: 'body', parameters: [{ type: 'text', text: 'A-17' }] },
          {
            type: 'button',
            sub_type: 'url',
            index: '0',
            parameters: [{ type: 'text', text: 'A-17' }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '1',
            parameters: [{ type: 'payload', payload: 'stop-A-17' }],
          },
        ],
      },
    });
    expect(richSends.get(ben)).toMatchObject({
      template: {
        components: [{ type: 'header', parameters: [{ type: 'text', text: 'Ben' }] }, {}, {}, {}],
      },
    });
    graph.reset();

    const couponCampaign = await createCampaign(t, { templateId: coupon.id, listIds: [listId] });
    expect(
      (
        await api(t).patch(`/v1/templates/${coupon.id}`, {
          parameters: { first_name: '{{first_name|there}}' },
        })
      ).status,
    ).toBe(200);
    const noImage = await api(t).post(`/v1/campaigns/${couponCampaign.id}/start`);
    expect(noImage.status).toBe(409);
    expect(String(noImage.body.detail)).toContain(
      "the template's header is a image, give its link",
    );
    expect(String(noImage.body.detail)).toContain('button 0 (copy_code) is missing a value');
    expect(
      (
        await api(t).patch(`/v1/templates/${coupon.id}`, {
          headerParameter: 'https://cdn.example/{{image|default}}.png',
          buttonParameters: [{ index: 0, value: '{{coupon}}' }],
        })
      ).status,
    ).toBe(200);
    const started = await api(t).post(`/v1/campaigns/${couponCampaign.id}/start`, {
      acceptSkips: true,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await waitCompleted(t, String(couponCampaign.id));
    expect(graph.sends().map((send) => send.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: anna,
        type: 'template',
        template: {
          name: 'image_coupon',
          language: { code: 'en_GB' },
          components: [
            {
              type: 'header',
              parameters: [{ type: 'image', image: { link: 'https://cdn.example/spring.png' } }],
            },
            {
              type: 'body',
              parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Anna' }],
            },
            {
              type: 'button',
              sub_type: 'copy_code',
              index: '0',
              parameters: [{ type: 'coupon_code', coupon_code: 'SAVE-A17' }],
            },
          ],
        },
      },
    ]);
    const messages = await t.service.ctx.database.sql<
      { phone: string; status: string; params: string[] | null; error: string | null }[]
    >`select phone, status, params, error from messages
      where campaign_id = ${String(couponCampaign.id)} order by phone`;
    expect(messages).toEqual([
      {
        phone: `+${anna}`,
        status: 'sent',
        params: ['Anna', 'https://cdn.example/spring.png', 'SAVE-A17'],
        error: null,
      },
      { phone: `+${ben}`, status: 'skipped', params: null, error: 'missing attribute "coupon"' },
    ]);

    // a sync keeps them, as it keeps the body's; a run in progress is not the moment to change them
    await sync();
    expect(await synced('image_coupon')).toMatchObject({
      headerParameter: 'https://cdn.example/{{image|default}}.png',
      buttonParameters: [{ index: 0, value: '{{coupon}}' }],
    });
    // `null` and `[]` remove them: the next start is refused again
    const cleared = await api(t).patch(`/v1/templates/${coupon.id}`, {
      headerParameter: null,
      buttonParameters: [],
    });
    expect(cleared.body).toMatchObject({ headerParameter: null, buttonParameters: [] });
  });
});

describe('the periodic sync', () => {
  const startService = useServicePerTest();

  it('syncs every Cloud API sender once a period, however often it is queued', async () => {
    const own = await FakeGraph.start();
    try {
      own.templates = [metaTemplate(1, 'hourly_one'), metaTemplate(2, 'hourly_two')];
      const { logger, lines } = captureLogger();
      const service = await startService({
        env: { ...cloudEnv(own), TEMPLATE_SYNC_MINUTES: '60' },
        logger,
      });
      const logged = await waitFor(
        () => lines().find((line) => line.msg === 'templates synced from Meta'),
        { what: 'the sync at start' },
      );
      expect(logged).toMatchObject({ synced: 2, added: 2, updated: 0, gone: 0 });
      for (let i = 0; i < 3; i++) await queueTemplateSync(service.service.ctx);
      const [jobs] = await service.service.ctx.database.sql<{ count: number }[]>`
        select count(*)::int as count from pgboss.job where name = 'template-sync'`;
      expect(jobs?.count).toBe(1);
    } finally {
      await own.stop();
    }
  });
});
