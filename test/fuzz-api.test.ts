// Property tests (fast-check) over everything a client or the provider may post: never a 5xx,
// never a crash, a refusal is a problem document, and a refused request changes nothing stored.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign } from './helpers/api';
import { factories } from './helpers/factories';
import { anyJson, FUZZ_RUNS, looseObject, rawBody, sendAndCheck } from './helpers/fuzz';
import { TEST_WEBHOOK_SECRET, useTestService } from './helpers/service';
import { inbound, waitApplied, webhookFixture } from './helpers/webhooks';

let campaignId: string;
let listId: string;
let templateId: string;
// API only: no dispatcher sends what the fuzzing may start.
const t = useTestService({ env: { ROLE: 'api' } });
beforeAll(async () => {
  const setup = await campaignSetup(t, 3);
  listId = setup.listId;
  templateId = setup.templateId;
  campaignId = String(
    (await createCampaign(t, { templateId: setup.templateId, listIds: [setup.listId] })).id,
  );
  await factories(t).optOut('+4915112345678');
});

const json = (method: string, body: string) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body,
});

const phoneLike = fc.oneof(
  fc.constantFrom('+79995253422', '79995253422', '+4915112345678', '+1', '++', '0000000'),
  fc.string({ maxLength: 20 }),
);
const language = looseObject(['code', 'policy'], {
  code: fc.constantFrom('en', 'de', 'en_US'),
  policy: fc.constantFrom('deterministic', 'fallback'),
});
const schedule = looseObject(['at', 'cron', 'timezone'], {
  at: fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
  cron: fc.constantFrom('0 9 * * *', '* * *', '61 * * * *'),
  timezone: fc.constantFrom('Europe/Berlin', 'Mars/Olympus', 'UTC'),
});

describe('text PostgreSQL cannot store', () => {
  it('is a 422 problem document, not a 500, and stores nothing', async () => {
    for (const [path, body] of [
      ['/v1/lists', { name: 'nul \u0000 here' }],
      [
        '/v1/templates',
        { name: 'x', namespace: 'ns', language: { code: 'en' }, parameters: ['\u0000'] },
      ],
    ] as const) {
      const status = await sendAndCheck(t, path, json('POST', JSON.stringify(body)));
      expect(status).toBe(422);
    }
  });
});

describe('fuzzed API bodies', () => {
  const cases: [string, string, () => string, fc.Arbitrary<unknown>][] = [
    ['POST', 'lists', () => '/v1/lists', looseObject(['name', 'description'])],
    [
      'POST',
      'templates',
      () => '/v1/templates',
      looseObject(['name', 'namespace', 'language', 'category', 'parameters'], {
        name: fc.string(),
        namespace: fc.string(),
        language,
        category: fc.constantFrom('marketing', 'utility', 'authentication'),
        parameters: fc.array(fc.string()),
      }),
    ],
    [
      'POST',
      'campaigns',
      () => '/v1/campaigns',
      looseObject(['name', 'templateId', 'listIds', 'schedule', 'ratePerSecond', 'followUp'], {
        name: fc.string(),
        templateId: fc.constant(templateId).map(() => templateId),
        listIds: fc.constant(null).map(() => [listId]),
        schedule,
        ratePerSecond: fc.double(),
        followUp: looseObject(['body']),
      }),
    ],
    [
      'PATCH',
      'a campaign',
      () => `/v1/campaigns/${campaignId}`,
      looseObject(['name', 'listIds', 'schedule', 'ratePerSecond', 'followUp'], {
        schedule,
        ratePerSecond: fc.double(),
      }),
    ],
    ['POST', 'opt-outs', () => '/v1/opt-outs', looseObject(['phone'], { phone: phoneLike })],
    [
      'POST',
      'messages',
      () => '/v1/messages',
      looseObject(['phone', 'body'], { phone: phoneLike, body: fc.string() }),
    ],
    [
      'POST',
      'a retry',
      () => `/v1/campaigns/${campaignId}/retry`,
      looseObject(['statuses'], {
        statuses: fc.array(fc.constantFrom('failed', 'unknown', 'sent', 'pending')),
      }),
    ],
  ];

  it.each(cases)('%s %s: never a 5xx, a refusal changes nothing', async (method, _, path, body) => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(rawBody(body), async (raw) => {
        statuses.add(await sendAndCheck(t, path(), json(method, raw)));
      }),
      { numRuns: FUZZ_RUNS },
    );
    // The generators reach past validation too, or they prove little.
    expect([...statuses].some((s) => s >= 400)).toBe(true);
  });

  it('ids in paths: a malformed or unknown id is a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('campaigns', 'lists', 'templates', 'imports', 'contacts', 'messages'),
        fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 })),
        async (collection, id) => {
          const response = await t.request(`/v1/${collection}/${encodeURIComponent(id)}`);
          expect(response.status).toBeLessThan(500);
          expect(response.status).toBeGreaterThanOrEqual(400);
          await response.body?.cancel();
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('fuzzed webhook bodies', () => {
  const message = (inbound('+79995253422').messages as Record<string, unknown>[])[0] ?? {};
  const ack = ((webhookFixture('ack-delivered').ack as unknown[])[0] ?? {}) as Record<
    string,
    unknown
  >;
  const mutated = (base: Record<string, unknown>) =>
    fc
      .tuple(fc.subarray(Object.keys(base)), fc.dictionary(fc.string(), anyJson, { maxKeys: 3 }))
      .chain(([keys, extra]) =>
        fc
          .record(Object.fromEntries(keys.map((k) => [k, anyJson])), { requiredKeys: [] })
          .map((changed) => ({ ...base, ...extra, ...changed })),
      );
  const webhookBody = fc.oneof(
    anyJson,
    // bodies the provider really sends, so that the property sees 200s too
    fc.constantFrom(
      webhookFixture('ack-delivered'),
      webhookFixture('message-reply'),
      inbound('+79995253422'),
    ),
    looseObject(['messages', 'ack', 'instanceId'], {
      messages: fc.array(mutated(message), { maxLength: 3 }),
      ack: fc.array(mutated(ack), { maxLength: 3 }),
    }),
  );

  it('answers 200 or a 4xx problem document, and every stored event can be applied', async () => {
    const path = `/webhooks/chat-api?secret=${encodeURIComponent(TEST_WEBHOOK_SECRET)}`;
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(rawBody(webhookBody), async (raw) => {
        const status = await sendAndCheck(t, path, { ...json('POST', raw), auth: false });
        statuses.add(status);
        // A stored event is applied a moment later: let it land before the next digest.
        if (status === 200) await waitApplied(t);
      }),
      { numRuns: FUZZ_RUNS * 2 },
    );
    expect(statuses.has(200)).toBe(true);
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    // No stored event is a poison pill: the applier gets through all of them.
    await waitApplied(t, 15_000);
    expect((await api(t).get('/healthz')).status).toBe(200);
  });
});
