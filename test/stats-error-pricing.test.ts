// GET /v1/campaigns/{id}/stats' byErrorCode and byPricingCategory (docs/design.md, rule 22):
// message rows written by the snapshot's shape and moved by Meta's signed status webhooks, as
// the Cloud API provider's messages are.
import { randomInt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { messages, runs } from '../src/db/schema';
import { factories } from './helpers/factories';
import { messagesValue, postSignedWebhook, wamid, webhookEnvelope } from './helpers/fake-graph';
import { useTestService } from './helpers/service';
import { statsOf } from './helpers/stats';
import { waitApplied } from './helpers/webhooks';

const number = { phoneNumberId: '106540352242922', waba: '102290129340398' };
const appSecret = 'default-app-secret-0123';

// the test phones are +7999…: 799 is the longest prefix priced for marketing
const priceCard = join(mkdtempSync(join(tmpdir(), 'price-card-')), 'prices.csv');
writeFileSync(
  priceCard,
  'country_calling_code,category,price,currency\n7,marketing,0.08,USD\n799,marketing,0.1,USD\n7,service,1,USD\n',
);

const t = useTestService({
  env: {
    ROLE: 'api',
    CHAT_API_URL: '',
    CHAT_API_TOKEN: '',
    WHATSAPP_ACCESS_TOKEN: 'EAAG-default-token',
    WHATSAPP_PHONE_NUMBER_ID: number.phoneNumberId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: number.waba,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: 'default-verify-0123',
    PRICE_CARD: priceCard,
  },
});

const status = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: name,
  timestamp: String(Math.floor(Date.now() / 1000)),
  recipient_id: '79990000000',
  ...extra,
});
const failed = (id: string, code: number, title: string) =>
  status(id, 'failed', { errors: [{ code, title }] });
const priced = (id: string, category: string, billable: boolean) =>
  status(id, 'delivered', {
    pricing: { billable, pricing_model: 'PMP', category, type: billable ? 'regular' : 'free' },
  });

let campaignId: string;
let firstRunId: string;
let secondRunId: string;

/** `count` template messages of the run, sent through the default Cloud API number. */
async function sentMessages(runId: string, count: number) {
  const f = factories(t);
  const rows = [];
  for (let i = 0; i < count; i++) {
    const contact = await f.contact({ first_name: 'Ivan' }, `+7999${randomInt(1e6, 1e7 - 1)}`);
    rows.push({
      runId,
      campaignId,
      contactId: contact.id,
      phone: contact.phone,
      kind: 'template' as const,
      status: 'sent' as const,
      providerMessageId: wamid(),
      sentAt: new Date(),
      attempts: 1,
    });
  }
  const inserted = await t.service.ctx.database.db.insert(messages).values(rows).returning();
  return inserted.map((m) => String(m.providerMessageId));
}

beforeAll(async () => {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const { campaign, run } = await f.campaignWithRun({
    name: 'Figures',
    templateId,
    listIds: [],
    status: 'running',
  });
  campaignId = campaign.id;
  firstRunId = run.id;
  const [second] = await t.service.ctx.database.db
    .insert(runs)
    .values({ campaignId, scheduledFor: new Date(), startedAt: new Date() })
    .returning();
  if (!second) throw new Error('no run');
  secondRunId = second.id;
  const [a1, a2, a3, a4, a5, a6, a7] = await sentMessages(firstRunId, 7);
  const [b1, b2, b3] = await sentMessages(secondRunId, 3);
  if (!a1 || !a2 || !a3 || !a4 || !a5 || !a6 || !a7 || !b1 || !b2 || !b3)
    throw new Error('messages missing');
  const statuses = [
    failed(a1, 131049, 'This message was not delivered to maintain healthy ecosystem engagement.'),
    failed(a2, 131049, 'This message was not delivered to maintain healthy ecosystem engagement.'),
    failed(a3, 131026, 'Message undeliverable'),
    failed(a4, 130472, "User's number is part of an experiment"),
    priced(a5, 'marketing', true),
    priced(a6, 'marketing', true),
    priced(a7, 'service', false),
    failed(b1, 131026, 'Message undeliverable'),
    priced(b2, 'marketing', true),
    priced(b3, 'marketing', false),
  ];
  const body = webhookEnvelope(
    'messages',
    messagesValue(number.phoneNumberId, { statuses }),
    number.waba,
  );
  const response = await postSignedWebhook(`${t.baseUrl}/webhooks/whatsapp`, body, appSecret);
  expect(response.status, await response.clone().text()).toBe(200);
  await waitApplied(t);
}, 30_000);

describe('GET /v1/campaigns/{id}/stats by error code and pricing category', () => {
  it("counts failed and held-out messages by Meta's code and priced ones by category", async () => {
    expect(await statsOf(t, campaignId)).toMatchObject({
      failed: 4,
      byErrorCode: { '131049': 2, '131026': 2, '130472': 1 },
      byPricingCategory: {
        marketing: { billable: 3, free: 1 },
        service: { billable: 0, free: 1 },
      },
      // three billable marketing messages at 799's price; the free ones cost nothing
      estimatedCost: { USD: 0.3 },
    });
  });

  it('counts one run alone with ?run=', async () => {
    expect(await statsOf(t, campaignId, `?run=${firstRunId}`)).toMatchObject({
      byErrorCode: { '131049': 2, '131026': 1, '130472': 1 },
      byPricingCategory: { marketing: { billable: 2, free: 0 }, service: { billable: 0, free: 1 } },
      estimatedCost: { USD: 0.2 },
    });
    const second = await statsOf(t, campaignId, `?run=${secondRunId}`);
    expect(second.byErrorCode).toEqual({ '131026': 1 });
    expect(second.byPricingCategory).toEqual({ marketing: { billable: 1, free: 1 } });
  });

  it('answers empty figures for a campaign Meta has not coded or priced', async () => {
    const f = factories(t);
    const templateId = await f.template(['{{first_name}}']);
    const { campaign } = await f.campaignWithRun({ name: 'Quiet', templateId, listIds: [] });
    expect(await statsOf(t, campaign.id)).toMatchObject({
      byErrorCode: {},
      byPricingCategory: {},
      estimatedCost: {},
    });
  });
});
