import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { AuditPage, AuditQuery } from './schemas';

export const listAuditSpec = createRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAuditEvents',
  tags: ['audit'],
  summary: 'The audit trail: who changed what, and when, newest first',
  description:
    'Admins only (403 for other roles). Every write of the API that succeeded, and every sign-in to the console, kept AUDIT_RETENTION_DAYS.',
  request: { query: AuditQuery },
  responses: { 200: json(AuditPage, 'a page of events'), ...problems(400, 401, 403) },
});
