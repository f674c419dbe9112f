// The overview's and a sender's figures by error code and pricing category, and their
// estimated cost from PRICE_CARD: template messages sent in the period (their sent_at), rows
// inserted with chosen timestamps, senders, codes and prices (the dispatcher cannot send in
// the past; the webhook's writing of these columns is test/stats-error-pricing.test.ts').
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldPeriodRows } from '../src/stats/period-figures';
import { parsePriceCard } from '../src/stats/price-card';
import { api } from './helpers/api';
import { useTestService } from './helpers/service';

const cardText =
  'country_calling_code,category,price,currency\n44,marketing,0.05,USD\n4479,marketing,0.07,USD\n49,marketing,0.1,EUR\n44,utility,0.02,USD\n';
const priceCard = join(mkdtempSync(join(tmpdir(), 'price-card-')), 'prices.csv');
writeFileSync(priceCard, cardText);

const t = useTestService({ env: { PRICE_CARD: priceCard } });

let senderA: string;
let senderB: string;

type Row = {
  sender: () => string | null;
  phone: string;
  kind?: 'template' | 'followup';
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'held_out';
  sentAt: string;
  code?: number;
  category?: string;
  billable?: boolean | null;
};

const IN = '2020-03-02T10:00:00Z';
const OUT = '2020-03-05T10:00:00Z';

const rows: Row[] = [
  // sender A, in the period
  {
    sender: () => senderA,
    phone: '+447900000001',
    status: 'read',
    sentAt: IN,
    category: 'marketing',
    billable: true,
  },
  {
    sender: () => senderA,
    phone: '+447800000002',
    status: 'delivered',
    sentAt: IN,
    category: 'marketing',
    billable: true,
  },
  {
    sender: () => senderA,
    phone: '+447800000003',
    status: 'delivered',
    sentAt: IN,
    category: 'utility',
    billable: false,
  },
  { sender: () => senderA, phone: '+447800000004', status: 'failed', sentAt: IN, code: 131049 },
  { sender: () => senderA, phone: '+447800000005', status: 'held_out', sentAt: IN, code: 130472 },
  // a priced row without billable counts free
  {
    sender: () => senderA,
    phone: '+447800000006',
    status: 'delivered',
    sentAt: IN,
    category: 'service',
    billable: null,
  },
  // sender B, in the period: a price in another currency, and a country the card does not price
  {
    sender: () => senderB,
    phone: '+4915100000007',
    status: 'delivered',
    sentAt: IN,
    category: 'marketing',
    billable: true,
  },
  {
    sender: () => senderB,
    phone: '+3360000008',
    status: 'delivered',
    sentAt: IN,
    category: 'marketing',
    billable: true,
  },
  { sender: () => senderB, phone: '+4915100000009', status: 'failed', sentAt: IN, code: 131026 },
  // no sender (rows from before senders): in the overview, in no sender's figures
  { sender: () => null, phone: '+447800000010', status: 'failed', sentAt: IN, code: 131026 },
  // a follow-up and a row of another period: in none
  {
    sender: () => senderA,
    phone: '+447800000011',
    kind: 'followup',
    status: 'delivered',
    sentAt: IN,
    category: 'service',
    billable: true,
  },
  {
    sender: () => senderA,
    phone: '+447800000012',
    status: 'delivered',
    sentAt: OUT,
    category: 'marketing',
    billable: true,
  },
];

beforeAll(async () => {
  const { sql } = t.service.ctx.database;
  const created = await sql<{ id: string }[]>`
    insert into senders (name, provider, is_default, rate_per_second)
    values ('Shop UK', 'sandbox', false, 10), ('Shop DE', 'sandbox', false, 10)
    returning id::text`;
  [senderA, senderB] = created.map((r) => r.id) as [string, string];
  for (const row of rows)
    await sql`
      insert into messages (phone, kind, status, sent_at, delivered_at, read_at, failed_at,
        sender_id, error_code, pricing_category, billable)
      values (${row.phone}, ${row.kind ?? 'template'}::message_kind, ${row.status}::message_status,
        ${row.sentAt}::timestamptz,
        ${['delivered', 'read'].includes(row.status) ? row.sentAt : null}::timestamptz,
        ${row.status === 'read' ? row.sentAt : null}::timestamptz,
        ${row.status === 'failed' ? row.sentAt : null}::timestamptz,
        ${row.sender()}::uuid, ${row.code ?? null}::int, ${row.category ?? null},
        ${row.billable ?? null}::boolean)`;
});

const period = 'from=2020-03-01&to=2020-03-03';

describe('GET /v1/stats/overview by error code, pricing category and cost', () => {
  it("counts the period's sent template messages by code and category, and prices the billable ones", async () => {
    const response = await api(t).get(`/v1/stats/overview?${period}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      totals: { sent: 10 },
      byErrorCode: { '131049': 1, '130472': 1, '131026': 2 },
      byPricingCategory: {
        marketing: { billable: 4, free: 0 },
        utility: { billable: 0, free: 1 },
        service: { billable: 0, free: 1 },
      },
      // 4479 at 0.07 (the longest prefix), 4478 at 44's 0.05, 49 in EUR; +33 has no price
      estimatedCost: { USD: 0.12, EUR: 0.1 },
    });
  });

  it('answers empty maps for a period without messages', async () => {
    const response = await api(t).get('/v1/stats/overview?from=2020-02-01&to=2020-02-02');
    expect(response.body).toMatchObject({
      byErrorCode: {},
      byPricingCategory: {},
      estimatedCost: {},
    });
  });
});

describe('GET /v1/senders/{senderId}/stats', () => {
  it("counts one sender's messages of the period and what became of them", async () => {
    const a = await api(t).get(`/v1/senders/${senderA}/stats?${period}`);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toEqual({
      senderId: senderA,
      from: '2020-03-01T00:00:00.000Z',
      to: '2020-03-03T00:00:00.000Z',
      sent: 6,
      delivered: 4,
      read: 1,
      failed: 1,
      byErrorCode: { '131049': 1, '130472': 1 },
      byPricingCategory: {
        marketing: { billable: 2, free: 0 },
        utility: { billable: 0, free: 1 },
        service: { billable: 0, free: 1 },
      },
      estimatedCost: { USD: 0.12 },
    });
    const b = await api(t).get(`/v1/senders/${senderB}/stats?${period}`);
    expect(b.body).toMatchObject({
      sent: 3,
      delivered: 2,
      failed: 1,
      byErrorCode: { '131026': 1 },
      byPricingCategory: { marketing: { billable: 2, free: 0 } },
      estimatedCost: { EUR: 0.1 },
    });
  });

  it('takes the period of the overview, in a time zone', async () => {
    // 10:00Z on 5 March is in Tokyo's 5 March
    const later = await api(t).get(
      `/v1/senders/${senderA}/stats?from=2020-03-05&to=2020-03-06&timezone=Asia/Tokyo`,
    );
    expect(later.body).toMatchObject({ from: '2020-03-04T15:00:00.000Z', sent: 1 });
  });

  it('answers 404 for an unknown sender and 400 for a bad period', async () => {
    const unknown = await api(t).get('/v1/senders/00000000-0000-4000-8000-000000000000/stats');
    expect(unknown.status).toBe(404);
    expect((await api(t).get('/v1/senders/not-an-id/stats')).status).toBe(404);
    const reversed = await api(t).get(`/v1/senders/${senderA}/stats?from=2020-03-03&to=2020-03-01`);
    expect(reversed.status).toBe(400);
    // every message sent in the period is read: at most 366 days of it
    const long = await api(t).get(`/v1/senders/${senderA}/stats?from=2020-01-01&to=2021-01-02`);
    expect(long.status).toBe(400);
    expect(long.body.detail).toContain('at most 366 days');
    const year = await api(t).get(`/v1/senders/${senderA}/stats?from=2020-01-01&to=2021-01-01`);
    expect(year.status).toBe(200);
  });
});

describe('foldPeriodRows', () => {
  it('has no cost without a card, and prices nothing the card does not know', () => {
    const row = {
      code: null,
      category: 'marketing',
      billable: true,
      digits: '4479',
      sent: 3,
      delivered: 2,
      read: 1,
      failed: 0,
    };
    expect(foldPeriodRows([row], undefined).estimatedCost).toBeNull();
    const card = parsePriceCard(cardText);
    if ('problem' in card) throw new Error(card.problem);
    expect(foldPeriodRows([row, { ...row, digits: '33', sent: 5 }], card)).toMatchObject({
      sent: 8,
      byPricingCategory: { marketing: { billable: 8, free: 0 } },
      estimatedCost: { USD: 0.21 },
    });
  });
});
