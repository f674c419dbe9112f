import { describe, expect, it } from 'vitest';
import { ackRank, phoneOfMessage, type WebhookMessage } from './event-schema';

describe('phoneOfMessage', () => {
  const message = (fields: Partial<WebhookMessage>) =>
    ({ id: 'x', fromMe: false, chatId: '79995253422@c.us', time: 1, ...fields }) as WebhookMessage;
  it('reads the author of a group message, else the chat', () => {
    expect(phoneOfMessage(message({}))).toBe('+79995253422');
    expect(
      phoneOfMessage(message({ chatId: '120363-1596@g.us', author: '4915112345678@c.us' })),
    ).toBe('+4915112345678');
    expect(phoneOfMessage(message({ chatId: 'status@broadcast', author: null }))).toBeUndefined();
  });
});

describe('ackRank', () => {
  it('orders sent < delivered < read, with viewed = read', () => {
    expect([ackRank('sent'), ackRank('delivered'), ackRank('viewed'), ackRank('read')]).toEqual([
      1, 2, 3, 3,
    ]);
    expect(ackRank('played')).toBeUndefined();
  });
});
