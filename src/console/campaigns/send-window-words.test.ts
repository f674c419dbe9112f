import { describe, expect, it } from 'vitest';
import { parseQuietHours } from '../../delivery/send-window';
import { waitingWords } from './figures';
import { campaignWindowWords, daysWords, ownWindowWords } from './send-window-words';

const quiet = parseQuietHours('21:00-08:00');
if ('problem' in quiet) throw new Error(quiet.problem);

describe('send windows in words', () => {
  it('says the days as a span, a list, or nothing for every day', () => {
    expect(daysWords(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon–Fri');
    expect(daysWords(['sat', 'sun'])).toBe('Sat and Sun');
    expect(daysWords(['fri', 'mon', 'wed'])).toBe('Mon, Wed and Fri');
    expect(daysWords(['tue'])).toBe('Tue');
    expect(daysWords(undefined)).toBeUndefined();
    expect(daysWords(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBeUndefined();
  });

  it("says a campaign's own window, none, and the account's quiet hours", () => {
    expect(
      ownWindowWords({
        from: '09:00',
        to: '20:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        deadlineHours: 48,
      }),
    ).toBe(
      "Sends 09:00–20:00 in each recipient's time, Mon–Fri; messages still waiting 48 hours after the start expire",
    );
    expect(ownWindowWords({ from: '22:00', to: '06:00', deadlineHours: 1 })).toBe(
      "Sends 22:00–06:00 in each recipient's time; messages still waiting 1 hour after the start expire",
    );
    expect(campaignWindowWords(null, quiet, 'marketing')).toBe('Any time');
    expect(campaignWindowWords(undefined, quiet, null)).toBe(
      "Quiet hours 21:00–08:00 in each recipient's time (account default)",
    );
    expect(campaignWindowWords(undefined, quiet, 'utility')).toBe(
      "Any time: the account's quiet hours (21:00–08:00) are for marketing templates only",
    );
    expect(campaignWindowWords(undefined, undefined, 'marketing')).toBe(
      'Any time (the account sets no quiet hours)',
    );
  });

  it('says how many wait and when the next opens, in UTC, and how many expired', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const words = waitingWords(
      {
        waiting: 1204,
        nextAt: '2026-11-29T15:00:00.000Z',
        expired: 3,
        moreWaiting: false,
        moreExpired: false,
      },
      now,
    );
    expect(words.waiting).toBe(
      '1,204 waiting for their send window; next at Sun 29 Nov, 15:00 UTC (in 3 h)',
    );
    expect(words.expired).toBe('3 expired: their send window did not open before the deadline');
    expect(
      waitingWords(
        { waiting: 0, nextAt: null, expired: 0, moreWaiting: false, moreExpired: false },
        now,
      ),
    ).toEqual({ waiting: '', expired: '' });
  });
});
