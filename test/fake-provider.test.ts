import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider } from './helpers/fake-provider';

let provider: FakeProvider;
beforeAll(async () => {
  provider = await FakeProvider.start();
});
afterAll(() => provider.stop());

const post = (path: string, body: unknown, token = provider.token) =>
  fetch(`${provider.url}${path}?token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the fake chat-api provider of the tests', () => {
  it('accepts a template send in the provider shape and records it', async () => {
    const response = await post('/sendTemplate', { phone: '79995253422', template: 'x' });
    const body = (await response.json()) as { sent: boolean; id: string };
    expect(body.sent).toBe(true);
    expect(body.id).toMatch(/^true_79995253422@c\.us_[0-9A-F]+$/);
    expect(provider.sends().at(-1)).toMatchObject({
      token: provider.token,
      body: { phone: '79995253422' },
    });
  });

  it('refuses a bad phone, a bad token, and fails on demand', async () => {
    expect(await (await post('/sendTemplate', { phone: 'abc' })).json()).toEqual({
      sent: false,
      message: 'Phone is not valid',
    });
    expect((await post('/sendTemplate', { phone: '4915112345678' }, 'wrong')).status).toBe(401);
    provider.failNext({ status: 429, headers: { 'retry-after': '2' } }, 2);
    const first = await post('/sendTemplate', { phone: '4915112345678' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await post('/sendTemplate', { phone: '4915112345678' })).status).toBe(429);
    expect((await post('/sendTemplate', { phone: '4915112345678' })).status).toBe(200);
  });
});
