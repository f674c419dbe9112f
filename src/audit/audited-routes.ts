import { type RetryFilter, retryFilter } from '../campaigns/route-specs';

type Body = Record<string, unknown> | undefined;

/**
 * One write route of `/v1` and the audit event its 2xx answer records (docs/design.md, rule
 * 30). `action` is `<target type>.<verb>`; the target's id is a path parameter (`param`) or a
 * field of the JSON answer (`answer`: the created resource's), and path parameters that are not
 * the target go into `detail`. `detail` names the change in a few fields: never a password, a
 * token or a message's text.
 */
export type AuditedRoute = {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As the OpenAPI document writes it: `/v1/campaigns/{campaignId}/start`. */
  path: string;
  action: string;
  id: { param: string } | { answer: string } | null;
  detail?: (body: Body) => Record<string, unknown>;
  /** A POST that changes nothing (the import preview): listed, so the table stays whole, but not recorded. */
  readsOnly?: true;
};

/** A PATCH: the names of the fields the body sets, never their values. */
const fields = (body: Body) => ({ fields: Object.keys(body ?? {}).sort() });
/** Start and resume: whether the caller went ahead past the preview's skips. */
const launch = (body: Body) => (body?.acceptSkips === true ? { acceptSkips: true } : {});
/** A retry: what it asked for, its defaults filled in. */
const retry = (body: Body) => retryFilter(body as Partial<RetryFilter> | undefined);

const created = { answer: 'id' };
const param = (name: string) => ({ param: name });
const campaign = param('campaignId');

/**
 * Every write route of the API. test/audit.test.ts walks the OpenAPI document: a write route
 * missing here fails it (and is logged as an error when it answers).
 */
export const auditedRoutes: readonly AuditedRoute[] = [
  { method: 'POST', path: '/v1/lists', action: 'list.create', id: created },
  { method: 'DELETE', path: '/v1/lists/{listId}', action: 'list.delete', id: param('listId') },
  {
    method: 'PATCH',
    path: '/v1/lists/{listId}',
    action: 'list.update',
    id: param('listId'),
    detail: fields,
  },
  { method: 'POST', path: '/v1/lists/{listId}/imports', action: 'import.start', id: created },
  {
    method: 'POST',
    path: '/v1/imports/preview',
    action: 'import.preview',
    id: null,
    readsOnly: true,
  },
  { method: 'POST', path: '/v1/templates', action: 'template.create', id: created },
  {
    method: 'POST',
    path: '/v1/templates/preview',
    action: 'template.preview',
    id: null,
    readsOnly: true,
  },
  {
    method: 'DELETE',
    path: '/v1/templates/{templateId}',
    action: 'template.delete',
    id: param('templateId'),
  },
  {
    method: 'PATCH',
    path: '/v1/templates/{templateId}',
    action: 'template.update',
    id: param('templateId'),
    detail: fields,
  },
  {
    method: 'POST',
    path: '/v1/senders/{senderId}/templates/sync',
    action: 'template.sync',
    // the templates of a sender: no one template is the target; `senderId` goes into detail
    id: null,
  },
  { method: 'POST', path: '/v1/campaigns', action: 'campaign.create', id: created },
  {
    method: 'PATCH',
    path: '/v1/campaigns/{campaignId}',
    action: 'campaign.update',
    id: campaign,
    detail: fields,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/start',
    action: 'campaign.start',
    id: campaign,
    detail: launch,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/pause',
    action: 'campaign.pause',
    id: campaign,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/resume',
    action: 'campaign.resume',
    id: campaign,
    detail: launch,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/cancel',
    action: 'campaign.cancel',
    id: campaign,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/retry',
    action: 'campaign.retry',
    id: campaign,
    detail: retry,
  },
  { method: 'POST', path: '/v1/opt-outs', action: 'opt_out.add', id: { answer: 'phone' } },
  { method: 'DELETE', path: '/v1/opt-outs/{phone}', action: 'opt_out.remove', id: param('phone') },
  { method: 'POST', path: '/v1/messages', action: 'message.send', id: created },
  { method: 'PATCH', path: '/v1/profile', action: 'profile.update', id: null, detail: fields },
  { method: 'POST', path: '/v1/users', action: 'user.create', id: created },
  {
    method: 'PATCH',
    path: '/v1/users/{userId}',
    action: 'user.update',
    id: param('userId'),
    detail: fields,
  },
  { method: 'DELETE', path: '/v1/users/{userId}', action: 'user.delete', id: param('userId') },
  { method: 'POST', path: '/v1/tokens', action: 'token.create', id: created },
  { method: 'POST', path: '/v1/senders', action: 'sender.create', id: created },
  {
    method: 'PATCH',
    path: '/v1/senders/{senderId}',
    action: 'sender.update',
    id: param('senderId'),
    // the names of the fields only: `credentials` says they were replaced, never what they are
    detail: fields,
  },
  {
    method: 'DELETE',
    path: '/v1/senders/{senderId}',
    action: 'sender.delete',
    id: param('senderId'),
  },
  { method: 'DELETE', path: '/v1/tokens/{tokenId}', action: 'token.revoke', id: param('tokenId') },
];

export type AuditMatch = { route: AuditedRoute; params: Record<string, string> };

const compiled = auditedRoutes.map((route) => ({
  route,
  pattern: new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`)}$`,
  ),
}));

/** The entry of a request's method and path, with its path parameters decoded. */
export function matchAuditedRoute(method: string, path: string): AuditMatch | undefined {
  for (const { route, pattern } of compiled) {
    if (route.method !== method.toUpperCase()) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(
      Object.entries(match.groups ?? {}).map(([name, value]) => [name, decoded(value)]),
    );
    return { route, params };
  }
  return undefined;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
