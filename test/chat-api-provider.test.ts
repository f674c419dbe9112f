import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { ChatApiProvider } from '../src/provider/chat-api';
import { ProviderError, type TemplateSend } from '../src/provider/types';
import { FakeProvider } from './helpers/fake-provider';

let fake: FakeProvider;
let provider: ChatApiProvider;
beforeAll(async () => {
  fake = await FakeProvider.start();
  provider = new ChatApiProvider(fake.url, fake.token, 300);
});
afterAll(() => fake.stop());

const template: TemplateSend = {
  to: '+79995253422',
  template: { name: 'spring_sale', language: 'en', namespace: 'ns_1', policy: 'deterministic' },
  parameters: { format: 'positional', body: [{ text: 'Ivan' }] },
};

/** What chat-api must receive for `template`, byte for byte (docs/design.md, rule 23). */
const wireBody = {
  phone: '79995253422',
  template: 'spring_sale',
  namespace: 'ns_1',
  language: { code: 'en', policy: 'deterministic' },
  params: [{ type: 'body', parameters: [{ type: 'text', text: 'Ivan' }] }],
};

describe('the chat-api client, over HTTP to a fake instance', () => {
  it('sends the body and token the provider expects, and keeps the message id', async () => {
    const outcome = await provider.sendTemplate(template);
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(fake.sends().at(-1)).toMatchObject({ token: fake.token });
    expect(fake.sends().at(-1)?.body).toEqual(wireBody);
    expect(await provider.sendMessage({ to: '+79995253422', text: 'hi' })).toMatchObject({
      kind: 'accepted',
    });
    expect(fake.sends('/message').at(-1)?.body).toEqual({ phone: '79995253422', body: 'hi' });
  });

  it('classifies each kind of failure', async () => {
    expect(await provider.sendTemplate({ ...template, to: 'x' })).toEqual({
      kind: 'refused',
      reason: 'Phone is not valid',
    });
    fake.failNext({ status: 429, headers: { 'retry-after': '2' } });
    expect(await provider.sendTemplate(template)).toMatchObject({
      kind: 'retryable',
      rateLimited: true,
      retryAfterMs: 2000,
    });
    fake.failNext({ status: 503, body: { error: 'down' } });
    expect(await provider.sendTemplate(template)).toMatchObject({
      kind: 'retryable',
      rateLimited: false,
    });
    fake.failNext({ status: 200, delayMs: 1000, body: { sent: true, id: 'late' } });
    expect(await provider.sendTemplate(template)).toMatchObject({ kind: 'unknown' });
    fake.failNext({ status: 200, destroy: true });
    expect(await provider.sendTemplate(template)).toMatchObject({ kind: 'unknown' });
    const wrongToken = new ChatApiProvider(fake.url, 'wrong', 1000);
    expect(await wrongToken.sendTemplate(template)).toMatchObject({ kind: 'auth' });
    const nobody = new ChatApiProvider(`http://127.0.0.1:${await freePort()}/instance1`, 't', 1000);
    expect(await nobody.sendTemplate(template)).toMatchObject({
      kind: 'retryable',
      reason: 'connection failed (ECONNREFUSED)',
    });
  });

  it('reads and updates the profile, and reports a provider failure', async () => {
    await provider.updateProfile({ description: 'New description', vertical: 'Restaurant' });
    expect(await provider.getProfile()).toMatchObject({
      description: 'New description',
      vertical: 'Restaurant',
    });
    fake.failNext({ status: 500 });
    await expect(provider.getProfile()).rejects.toBeInstanceOf(ProviderError);
  });
});
