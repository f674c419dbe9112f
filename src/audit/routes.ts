import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { listAudit } from './list-audit';
import { listAuditSpec } from './route-specs';

/** GET /v1/audit (admins only: src/access/permissions.ts). */
export function auditRoutes(ctx: AppContext) {
  return createRouter().openapi(listAuditSpec, async (c) =>
    c.json(await listAudit(ctx, c.req.valid('query')), 200),
  );
}
