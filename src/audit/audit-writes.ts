import type { Context, MiddlewareHandler } from 'hono';
import { actorOf } from '../access/actor';
import type { AppContext } from '../context';
import { type AuditMatch, matchAuditedRoute } from './audited-routes';
import { type AuditEntry, recordAudit } from './record-audit';

const writes: readonly string[] = ['POST', 'PATCH', 'PUT', 'DELETE'];

/**
 * The audit trail of the API's writes (docs/design.md, rule 30): after a 2xx answer to a write
 * on `/v1`, one event from the table of audited routes, by whoever called (the console's
 * in-process calls included). The change is made by then: an event that cannot be written is
 * logged as an error and the answer stands, since refusing it would not undo the change.
 */
export function auditWrites(ctx: AppContext): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const { method, path } = c.req;
    if (!writes.includes(method) || c.res.status < 200 || c.res.status > 299) return;
    const match = matchAuditedRoute(method, path);
    if (!match) {
      ctx.logger.error({ method, path }, 'audit: a write route has no entry in audited-routes.ts');
      return;
    }
    if (match.route.readsOnly) return;
    try {
      await recordAudit(ctx, actorOf(c), await entryOf(match, c));
    } catch (error) {
      ctx.logger.error(
        { err: error, action: match.route.action, requestId: c.get('requestId') },
        'audit: the event could not be recorded',
      );
    }
  };
}

async function entryOf({ route, params }: AuditMatch, c: Context): Promise<AuditEntry> {
  const { id } = route;
  let targetId: string | null = null;
  if (id && 'param' in id) targetId = params[id.param] ?? null;
  else if (id) targetId = answerField(await c.res.clone().json(), id.answer);
  const others = Object.entries(params).filter(
    ([name]) => !(id && 'param' in id && id.param === name),
  );
  return {
    action: route.action,
    target: { type: route.action.slice(0, route.action.indexOf('.')), id: targetId },
    detail: { ...Object.fromEntries(others), ...route.detail?.(validJson(c)) },
  };
}

function answerField(answer: unknown, field: string): string | null {
  const value =
    answer && typeof answer === 'object' ? (answer as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/** The JSON body as the route's validator left it (none when the route takes no JSON body). */
function validJson(c: Context): Record<string, unknown> | undefined {
  const body = (c.req as unknown as { valid(target: 'json'): unknown }).valid('json');
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
}
