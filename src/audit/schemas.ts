import { z } from '@hono/zod-openapi';
import { auditEvents } from '../db/schema';
import { BigintKey, Page, PageQuery } from '../http/pagination';
import { instantQuery } from '../http/params';

export const AuditQuery = PageQuery.extend({
  from: instantQuery('the oldest events to list (inclusive)'),
  to: instantQuery('the newest events to list (exclusive)'),
  action: z.string().max(60).optional().openapi({
    description: 'only events of this action, e.g. `campaign.start`',
    example: 'campaign.start',
  }),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The cursor of the trail's newest-first order: the event's time in microseconds and its id. */
export const AuditKey = z
  .tuple([BigintKey, BigintKey])
  .transform(([micros, id]) => ({ micros, id }));

export const AuditEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      kind: z.enum(auditEvents.actorKind.enumValues).openapi({
        description:
          'user: a console session; token: a personal token; machine: API_TOKEN; anonymous: a failed sign-in (with the email tried)',
      }),
      userId: z.string().optional(),
      tokenId: z.string().optional(),
      email: z.string().optional(),
    }),
    action: z.string().openapi({ example: 'campaign.start' }),
    target: z.object({ type: z.string(), id: z.string().nullable() }),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent');
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditPage = Page(AuditEvent).openapi('AuditPage');
export type AuditPage = z.infer<typeof AuditPage>;
