import { z } from '@hono/zod-openapi';
import { messageStatus } from '../db/schema';
import { PageQuery } from '../http/params';
import { Message } from '../messages/message-json';

const count = z.number().int();

/** The Stats of API.md, over a campaign's template messages (or one run's). */
export const Stats = z
  .object({
    audience: count,
    pending: count,
    sent: count,
    delivered: count,
    read: count,
    failed: count,
    skipped: count,
    unknown: count,
    replied: count,
    optedOut: count,
    followUpsSent: count,
    windowsOpen: count,
    deliveryRate: z.number(),
    readRate: z.number(),
    replyRate: z.number(),
  })
  .openapi('Stats');
export type Stats = z.infer<typeof Stats>;

const runParam = z
  .uuid()
  .optional()
  .openapi({ description: 'a run of the campaign; the whole campaign when absent' });

export const StatsQuery = z.object({ run: runParam });
export type StatsQuery = z.infer<typeof StatsQuery>;

export const MessagesQuery = PageQuery.extend({
  status: z
    .enum(messageStatus.enumValues)
    .optional()
    .openapi({ description: 'only the messages in this status' }),
  run: runParam,
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

export const MessagePage = z
  .object({ data: z.array(Message), nextCursor: z.string().nullable() })
  .openapi('MessagePage');
export type MessagePage = z.infer<typeof MessagePage>;

/** At most this many buckets in an overview: 62 days by the hour, 5 years by the day. */
export const MAX_BUCKETS = 1500;

export const OverviewQuery = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .openapi({ description: 'start of the period (inclusive)' }),
    to: z.iso.datetime({ offset: true }).openapi({ description: 'end of the period (exclusive)' }),
    interval: z
      .enum(['hour', 'day'])
      .default('day')
      .openapi({ description: 'the size of a bucket of the series' }),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be later than from',
  });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

const Figures = z.object({
  sent: count,
  delivered: count,
  read: count,
  replied: count,
  failed: count,
});

export const Overview = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['hour', 'day']),
    totals: Figures,
    series: z.array(Figures.extend({ start: z.string() })),
  })
  .openapi('Overview');
export type Overview = z.infer<typeof Overview>;
