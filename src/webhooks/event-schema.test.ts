import { describe, expect, it } from 'vitest';
import { ackRank, isOptOutKeyword, phoneOfMessage, type WebhookMessage } from './event-schema';

const KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT'];

describe('isOptOutKeyword', () => {
  it('matches the whole trimmed text, in any case', () => {
    for (const text of ['STOP', 'stop', ' Stop ', '\nquit\t', 'OptOut'])
      expect(isOptOutKeyword(text, KEYWORDS)).toBe(true);
    for (const text of ['stop please', 'STOP!', 'S T O P', 'nonstop', '', null, undefined])
      expect(isOptOutKeyword(text, KEYWORDS)).toBe(false);
  });
});

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
