import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { captureLogger, startTestService, waitFor } from './helpers/service';
import { ack, deliver, inbound, postWebhook, sentTemplate } from './helpers/webhooks';

const DEBUG = 20;
const INFO = 30;
const ERROR = 50;

describe('webhook logs', () => {
  it('logs each webhook request at debug, and the events taken in a line per period at info', async () => {
    const log = captureLogger('debug');
    const t = await startTestService({
      logger: log.logger,
      env: { ROLE: 'api', WEBHOOK_LOG_SUMMARY_SECONDS: '1' },
    });
    try {
      const { contact, providerMessageId } = await sentTemplate(t);
      await deliver(t, ack(providerMessageId, contact.phone, 'delivered'));
      await deliver(t, inbound(contact.phone, { quotedMsgId: providerMessageId }));
      expect((await postWebhook(t, inbound(contact.phone), 'wrong-secret')).status).toBe(401);
      expect((await postWebhook(t, '{"neither": true}')).status).toBe(400);
      expect((await api(t).get('/v1/conversations')).status).toBe(200);

      const requests = log.lines().filter((line) => line.msg === 'request');
      const webhook = requests.filter((line) => line.path === '/webhooks/chat-api');
      expect(webhook).toHaveLength(4);
      expect(webhook.every((line) => line.level === DEBUG)).toBe(true);
      expect(requests.find((line) => line.path === '/v1/conversations')?.level).toBe(INFO);

      // the counts may fall into two periods: their sum is what was taken
      const summed = await waitFor(
        () => {
          const lines = log.lines().filter((line) => line.msg === 'webhook events taken');
          const sum = (field: string) => lines.reduce((n, line) => n + Number(line[field]), 0);
          const total = {
            stored: sum('stored'),
            refused: sum('refused'),
            messages: sum('messages'),
            acks: sum('acks'),
          };
          return total.stored === 2 && total.refused === 2 ? { lines, total } : undefined;
        },
        { what: 'the summary lines' },
      );
      expect(summed.total).toEqual({ stored: 2, refused: 2, messages: 1, acks: 1 });
      expect(summed.lines.every((line) => line.level === INFO)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('stops without stack traces while the sandbox has simulated events to post', async () => {
    const log = captureLogger('debug');
    const t = await startTestService({
      env: { CHAT_API_URL: '', CHAT_API_TOKEN: '' },
      sandbox: { ackDelayMs: 1, replyRate: 1, stopRate: 0 },
      logger: log.logger,
    });
    // The stop closes the HTTP server at once; then sends still in flight finish, as the
    // dispatcher's do, and their simulated acks and replies fall due while the service stops.
    const stopped = t.stop();
    for (let i = 0; i < 3; i++)
      await t.service.ctx.provider.sendTemplate({
        to: `+7999525342${i}`,
        template: { name: 'promo', language: 'en', namespace: 'ns', policy: 'deterministic' },
        parameters: { format: 'positional', body: [] },
      });
    await stopped;
    const lines = log.lines();
    const stopping = lines.slice(lines.findIndex((line) => line.msg === 'shutting down'));
    expect(stopping.at(-1)?.msg).toBe('stopped');
    // a stack trace is an `err` in pino's JSON (the sandbox's own warning that it sends nothing
    // real is fine)
    expect(
      stopping.filter((line) => line.err !== undefined || Number(line.level) >= ERROR),
    ).toEqual([]);
  });
});
