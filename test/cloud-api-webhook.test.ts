import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  parseCloudApiWebhook,
  verifySignature,
  verifySubscription,
} from '../src/provider/cloud-api-webhook';
import { MAX_ENTRIES, MAX_ITEMS, MAX_TEXT_CHARS } from '../src/provider/cloud-api-webhook-schema';
import {
  messagesValue,
  postSignedWebhook,
  signWebhook,
  wamid,
  webhookEnvelope,
} from './helpers/fake-graph';

const SECRET = 'app-secret-0123456789abcdef';
const PHONE_NUMBER_ID = '106540352242922';
const WABA = '102290129340398';

/** A status body as Meta posts it, with whitespace as Meta's own serialiser may leave it. */
const raw = Buffer.from(
  JSON.stringify(
    webhookEnvelope(
      'messages',
      messagesValue(PHONE_NUMBER_ID, {
        statuses: [{ id: 'wamid.A', status: 'delivered', timestamp: '1764072000' }],
      }),
    ),
    null,
    1,
  ),
);

describe('verifySignature', () => {
  it('takes the HMAC-SHA256 of the raw bytes under any of the app secrets', () => {
    expect(verifySignature(raw, signWebhook(raw, SECRET), [SECRET])).toBe(true);
    expect(verifySignature(raw, signWebhook(raw, SECRET), ['other-secret-xyz', SECRET])).toBe(true);
    expect(
      verifySignature(raw, signWebhook(raw, SECRET).toUpperCase().replace('SHA256', 'sha256'), [
        SECRET,
      ]),
    ).toBe(true);
  });

  it('refuses a missing, malformed or wrong signature, a wrong secret, and one tampered byte', () => {
    const good = signWebhook(raw, SECRET);
    expect(verifySignature(raw, undefined, [SECRET])).toBe(false);
    expect(verifySignature(raw, '', [SECRET])).toBe(false);
    expect(verifySignature(raw, good.replace('sha256=', 'sha1='), [SECRET])).toBe(false);
    expect(verifySignature(raw, good.slice(0, -2), [SECRET])).toBe(false);
    expect(verifySignature(raw, `${good}00`, [SECRET])).toBe(false);
    expect(verifySignature(raw, good, ['wrong-secret-0123456789'])).toBe(false);
    expect(verifySignature(raw, good, [])).toBe(false);
    expect(verifySignature(raw, good, [''])).toBe(false);
    // an unset secret never signs: a body signed with the empty key is refused
    expect(verifySignature(raw, signWebhook(raw, ''), [''])).toBe(false);
    const tampered = Buffer.from(raw);
    tampered[tampered.indexOf('1764072000') + 9] = '1'.charCodeAt(0);
    expect(verifySignature(tampered, good, [SECRET])).toBe(false);
    // the same JSON written again is other bytes: the signature is of the bytes received
    const rewritten = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifySignature(rewritten, good, [SECRET])).toBe(false);
  });

  it("checks what the tests' signed post sends, over HTTP", async () => {
    const received: boolean[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const header = req.headers['x-hub-signature-256'];
        received.push(
          verifySignature(Buffer.concat(chunks), typeof header === 'string' ? header : undefined, [
            SECRET,
          ]),
        );
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
    try {
      await postSignedWebhook(url, raw.toString(), SECRET);
      await postSignedWebhook(url, { object: 'whatsapp_business_account', entry: [] }, SECRET);
      await postSignedWebhook(url, raw.toString(), 'another-app-secret-000');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(received).toEqual([true, true, false]);
  });
});

describe('verifySubscription', () => {
  const query = {
    'hub.mode': 'subscribe',
    'hub.challenge': '1158201444',
    'hub.verify_token': 'ours-1',
  };

  it("answers Meta's challenge when the verify token is one of ours", () => {
    expect(verifySubscription(query, ['ours-0', 'ours-1'])).toBe('1158201444');
  });

  it('answers nothing (403) to a wrong token or mode, a missing or odd challenge', () => {
    expect(verifySubscription(query, ['ours-0'])).toBeUndefined();
    expect(verifySubscription(query, [])).toBeUndefined();
    expect(verifySubscription({ ...query, 'hub.mode': 'unsubscribe' }, ['ours-1'])).toBeUndefined();
    expect(
      verifySubscription({ ...query, 'hub.challenge': undefined }, ['ours-1']),
    ).toBeUndefined();
    expect(verifySubscription({ ...query, 'hub.verify_token': '' }, [''])).toBeUndefined();
    expect(
      verifySubscription({ ...query, 'hub.challenge': '<script>alert(1)</script>' }, ['ours-1']),
    ).toBeUndefined();
    expect(
      verifySubscription({ ...query, 'hub.challenge': '9'.repeat(257) }, ['ours-1']),
    ).toBeUndefined();
  });
});

const messages = (parts: Parameters<typeof messagesValue>[1]) =>
  webhookEnvelope('messages', messagesValue(PHONE_NUMBER_ID, parts));

describe('parseCloudApiWebhook: statuses', () => {
  it('reads statuses with their pricing and errors, and counts a status it does not know', () => {
    const failed = wamid();
    const parsed = parseCloudApiWebhook(
      messages({
        statuses: [
          {
            id: 'wamid.SENT',
            status: 'sent',
            timestamp: '1764072000',
            recipient_id: '447700900123',
            pricing: {
              billable: true,
              pricing_model: 'PMP',
              type: 'regular',
              category: 'MARKETING',
            },
          },
          // a read may come without a delivered before it
          {
            id: 'wamid.READ',
            status: 'read',
            timestamp: '1764072060',
            recipient_id: '447700900123',
          },
          {
            id: failed,
            status: 'failed',
            timestamp: 1764072001,
            recipient_id: '447700900124',
            errors: [
              {
                code: 131049,
                title: 'This message was not delivered to maintain healthy ecosystem engagement.',
                message: 'This message was not delivered to maintain healthy ecosystem engagement.',
                error_data: { details: 'In order to maintain a healthy ecosystem…' },
              },
              { code: 131026, message: 'x'.repeat(500) },
            ],
          },
          { id: 'wamid.W', status: 'warning', timestamp: '1764072002' },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.ignored).toBe(1);
    expect(parsed.events).toEqual([
      {
        type: 'status',
        businessAccountId: WABA,
        phoneNumberId: PHONE_NUMBER_ID,
        providerMessageId: 'wamid.SENT',
        status: 'sent',
        timestamp: new Date(1_764_072_000_000),
        phone: '+447700900123',
        userId: undefined,
        pricing: { category: 'marketing', type: 'regular', billable: true },
        errors: [],
      },
      expect.objectContaining({ providerMessageId: 'wamid.READ', status: 'read' }),
      expect.objectContaining({
        providerMessageId: failed,
        status: 'failed',
        errors: [
          {
            code: 131049,
            title: 'This message was not delivered to maintain healthy ecosystem engagement.',
          },
          { code: 131026, title: `${'x'.repeat(199)}…` },
        ],
      }),
    ]);
  });

  it('reads a status to a user known by a business-scoped id only, without a phone', () => {
    const parsed = parseCloudApiWebhook(
      messages({
        statuses: [
          {
            id: 'wamid.B',
            status: 'delivered',
            timestamp: '1764072000',
            recipient_user_id: 'US.13491208655302741918',
          },
        ],
      }),
    );
    expect(parsed.ok && parsed.events[0]).toMatchObject({
      phone: undefined,
      userId: 'US.13491208655302741918',
    });
  });
});

describe('parseCloudApiWebhook: inbound messages', () => {
  it('reads a text reply quoting our message, a button and interactive replies, with the profile name', () => {
    const parsed = parseCloudApiWebhook(
      messages({
        contacts: [
          { profile: { name: 'Anna' }, wa_id: '447700900123', user_id: 'GB.1502576394655843' },
        ],
        messages: [
          {
            from: '447700900123',
            id: 'wamid.IN1',
            timestamp: '1764072100',
            type: 'text',
            text: { body: 'Yes please' },
            context: { from: '15550783881', id: 'wamid.OURS' },
          },
          {
            from: '447700900123',
            id: 'wamid.IN2',
            timestamp: '1764072101',
            type: 'button',
            button: { payload: 'STOP_PROMOS', text: 'Stop promotions' },
            context: { id: 'wamid.OURS' },
          },
          {
            from: '447700900123',
            id: 'wamid.IN3',
            timestamp: '1764072102',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'yes-1', title: 'Yes' } },
          },
          {
            from: '447700900123',
            id: 'wamid.IN4',
            timestamp: '1764072103',
            type: 'interactive',
            interactive: {
              type: 'list_reply',
              list_reply: { id: 'row-2', title: 'Tuesday', description: 'pm' },
            },
          },
          {
            from: '447700900123',
            id: 'wamid.IN5',
            timestamp: '1764072104',
            type: 'image',
            image: { id: 'm1' },
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const common = {
      type: 'message',
      businessAccountId: WABA,
      phoneNumberId: PHONE_NUMBER_ID,
      phone: '+447700900123',
      userId: 'GB.1502576394655843',
      profileName: 'Anna',
    };
    expect(parsed.events).toEqual([
      {
        ...common,
        providerMessageId: 'wamid.IN1',
        timestamp: new Date(1_764_072_100_000),
        kind: 'text',
        text: 'Yes please',
        payload: undefined,
        quotedProviderMessageId: 'wamid.OURS',
      },
      expect.objectContaining({
        kind: 'button',
        text: 'Stop promotions',
        payload: 'STOP_PROMOS',
        quotedProviderMessageId: 'wamid.OURS',
      }),
      expect.objectContaining({ kind: 'interactive', text: 'Yes', payload: 'yes-1' }),
      expect.objectContaining({ kind: 'interactive', text: 'Tuesday', payload: 'row-2' }),
      expect.objectContaining({ kind: 'image', text: '' }),
    ]);
  });

  it('reads a message from a user with a username: a BSUID and no phone; one from nobody is ignored', () => {
    const parsed = parseCloudApiWebhook(
      messages({
        contacts: [
          { profile: { name: 'Sheena', username: '@sheena' }, user_id: 'US.13491208655302741918' },
        ],
        messages: [
          { id: 'wamid.U1', timestamp: '1764072100', type: 'text', text: { body: 'Hi' } },
          {
            id: 'wamid.U2',
            timestamp: '1764072100',
            type: 'text',
            text: { body: 'Hi' },
            from_user_id: 'US.1',
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.events[0]).toMatchObject({
      phone: undefined,
      userId: 'US.13491208655302741918',
      profileName: 'Sheena',
      text: 'Hi',
    });
    expect(parsed.events[1]).toMatchObject({ phone: undefined, userId: 'US.1' });
    const nobody = parseCloudApiWebhook(
      messages({
        messages: [{ id: 'wamid.N', timestamp: '1764072100', type: 'text', text: { body: 'Hi' } }],
      }),
    );
    expect(nobody).toEqual({ ok: true, events: [], ignored: 1 });
  });
});

describe('parseCloudApiWebhook: templates, other fields, bounds', () => {
  it('reads template status and quality updates, and ignores fields it has no use for', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          time: 1764072000,
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'PAUSED',
                message_template_id: 806312974732579,
                message_template_name: 'spring_sale',
                message_template_language: 'en_GB',
                reason: 'LOW_QUALITY',
              },
            },
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: '806312974732580',
                message_template_name: 'autumn_sale',
                message_template_language: 'en_GB',
                reason: 'NONE',
              },
            },
            {
              field: 'message_template_quality_update',
              value: {
                previous_quality_score: 'GREEN',
                new_quality_score: 'RED',
                message_template_id: 806312974732579,
                message_template_name: 'spring_sale',
                message_template_language: 'en_GB',
              },
            },
            { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
          ],
        },
      ],
    };
    expect(parseCloudApiWebhook(body)).toEqual({
      ok: true,
      ignored: 1,
      events: [
        {
          type: 'template_status',
          businessAccountId: WABA,
          phoneNumberId: null,
          event: 'paused',
          templateId: '806312974732579',
          name: 'spring_sale',
          language: 'en_GB',
          reason: 'LOW_QUALITY',
        },
        expect.objectContaining({ event: 'approved', templateId: '806312974732580', reason: null }),
        {
          type: 'template_quality',
          businessAccountId: WABA,
          phoneNumberId: null,
          templateId: '806312974732579',
          name: 'spring_sale',
          language: 'en_GB',
          quality: 'red',
          previousQuality: 'green',
        },
      ],
    });
  });

  it('refuses what is not an envelope of Meta, and every bound passed, saying where', () => {
    const refused = (body: unknown) => {
      const parsed = parseCloudApiWebhook(body);
      if (parsed.ok) throw new Error('expected a refusal');
      return parsed.errors.map((error) => error.path);
    };
    expect(refused({ messages: [] })).toEqual(['object', 'entry']);
    expect(refused('not json')).toEqual(['']);
    const entries = Array.from({ length: MAX_ENTRIES + 1 }, () => ({ id: WABA, changes: [] }));
    expect(refused({ object: 'whatsapp_business_account', entry: entries })).toEqual(['entry']);
    const statuses = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({
      id: `wamid.${i}`,
      status: 'sent',
      timestamp: '1764072000',
    }));
    expect(refused(messages({ statuses }))).toEqual(['entry.0.changes.0.value.statuses']);
    const long = {
      id: 'wamid.L',
      from: '447700900123',
      timestamp: '1764072000',
      type: 'text',
      text: { body: 'x'.repeat(MAX_TEXT_CHARS + 1) },
    };
    expect(refused(messages({ messages: [long] }))).toEqual([
      'entry.0.changes.0.value.messages.0.text.body',
    ]);
    expect(
      refused(
        messages({ statuses: [{ id: 'wamid.T', status: 'sent', timestamp: '99999999999' }] }),
      ),
    ).toEqual(['entry.0.changes.0.value.statuses.0.timestamp']);
    expect(
      refused(messages({ statuses: [{ id: 'x'.repeat(513), status: 'sent', timestamp: '1' }] })),
    ).toEqual(['entry.0.changes.0.value.statuses.0.id']);
    expect(refused(webhookEnvelope('messages', { statuses: [] }))).toEqual([
      'entry.0.changes.0.value.metadata',
    ]);
  });
});
