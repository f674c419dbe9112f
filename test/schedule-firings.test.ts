// GET /v1/schedules/next: a schedule's next firings in words, checked as a campaign's schedule is.
import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { useTestService } from './helpers/service';

// MIN_SCHEDULE_INTERVAL_MINUTES as an operator who never set it has it (60)
const t = useTestService({ env: { MIN_SCHEDULE_INTERVAL_MINUTES: '', ROLE: 'api' } });

const next = (query: Record<string, string>) =>
  api(t).get(`/v1/schedules/next?${new URLSearchParams(query)}`);

type Firings = { description: string; timezone: string; next: { at: string; local: string }[] };

describe('GET /v1/schedules/next', () => {
  it('answers the next five Mondays at 09:00 in the zone, in words and as instants', async () => {
    const response = await next({ cron: '0 9 * * MON', timezone: 'Europe/Paris' });
    expect(response.status).toBe(200);
    const body = response.body as unknown as Firings;
    expect(body.description).toBe('Every Monday at 09:00 in Europe/Paris');
    expect(body.timezone).toBe('Europe/Paris');
    expect(body.next).toHaveLength(5);
    for (const firing of body.next) {
      expect(firing.local).toMatch(/^Mon \d{1,2} \w{3}( \d{4})?, 09:00$/);
      const hour = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(firing.at));
      expect(hour).toBe('09');
    }
    const gaps = body.next
      .slice(1)
      .map((f, i) => Date.parse(f.at) - Date.parse(body.next[i]?.at ?? ''));
    for (const gap of gaps) expect(Math.abs(gap - 7 * 86_400_000)).toBeLessThanOrEqual(3_600_000);
  });

  it('answers a one-off local time in its zone once, and `count` firings of a pattern', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const once = await next({ at: `${year}-03-02T09:30`, timezone: 'America/New_York' });
    expect(once.status).toBe(200);
    expect(once.body).toMatchObject({
      timezone: 'America/New_York',
      next: [{ at: `${year}-03-02T14:30:00.000Z` }],
    });
    expect(String(once.body.description)).toMatch(
      /^Once, on \w{3} 2 Mar \d{4}, 09:30 in America\/New_York$/,
    );
    const daily = await next({ cron: '0 10 * * *', count: '2' });
    expect((daily.body as unknown as Firings).next).toHaveLength(2);
    expect(daily.body.description).toBe('Every day at 10:00 in UTC');
  });

  it('answers what a campaign would refuse as its errors, by field, and no firing', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ cron: '0 9 * * FOO', timezone: 'UTC' }, 'cron', /./],
      [{ cron: '0 9 * * MON', timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
      [{ cron: '*/5 * * * *' }, 'cron', /MIN_SCHEDULE_INTERVAL_MINUTES/],
      [{ at: '2020-01-01T09:00', timezone: 'UTC' }, 'at', /future/],
      [{ at: '2030-01-01T09:00' }, 'at', /offset/],
      [{}, '(root)', /either/],
    ];
    for (const [query, path, message] of cases) {
      const response = await next(query);
      expect(response.status, JSON.stringify(query)).toBe(200);
      expect(response.body).toMatchObject({ description: null, next: [] });
      const errors = response.body.errors as { path: string; message: string }[];
      expect(errors[0]?.path, JSON.stringify(query)).toBe(path);
      expect(errors[0]?.message).toMatch(message);
    }
    // the same cron refused by a campaign, with the same words
    const campaign = await api(t).post('/v1/campaigns', {
      name: 'x',
      templateId: '00000000-0000-4000-8000-000000000000',
      listIds: ['00000000-0000-4000-8000-000000000000'],
      schedule: { cron: '*/5 * * * *', timezone: 'UTC' },
    });
    const checked = await next({ cron: '*/5 * * * *', timezone: 'UTC' });
    expect(campaign.body.errors).toEqual([
      {
        path: 'schedule.cron',
        message: (checked.body.errors as { message: string }[])[0]?.message,
      },
    ]);
  });

  it('refuses a malformed request with a 400 problem', async () => {
    for (const count of ['0', '21', 'many', '1.5']) {
      const response = await next({ cron: '0 9 * * MON', count });
      expect(response.status).toBe(400);
      expect((response.body.errors as { path: string }[])[0]?.path).toBe('query.count');
    }
    expect((await next({ cron: 'x'.repeat(201) })).status).toBe(400);
  });
});
