import { requestId } from 'hono/request-id';
import { authenticate, sessionCookie } from './access/authenticate';
import { auditWrites } from './audit/audit-writes';
import { auditRoutes } from './audit/routes';
import { campaignRoutes } from './campaigns/routes';
import { consoleRoutes } from './console/routes';
import { importRoutes, isUpload } from './contacts/import/routes';
import { listRoutes } from './contacts/lists/routes';
import { contactRoutes } from './contacts/routes';
import type { AppContext } from './context';
import { conversationRoutes } from './conversations/routes';
import { AppError } from './errors';
import { healthRoutes, metricsRoutes } from './health/routes';
import { jsonBodyLimit } from './http/body-limit';
import { docsRoutes } from './http/docs';
import { createRouter } from './http/openapi';
import { handleError, problemResponse } from './http/problem';
import { refuseEncodedBodies, requireJsonBody, strictUtf8Body } from './http/request-body';
import { requestLog } from './http/request-log';
import { messageRoutes } from './messages/routes';
import { profileRoutes } from './profile/routes';
import { senderRoutes } from './senders/routes';
import { registerStatsMetrics } from './stats/metrics';
import { statsRoutes } from './stats/routes';
import { templateRoutes } from './templates/routes';
import { userRoutes } from './users/routes';
import { webhookRoutes } from './webhooks/routes';

/** The HTTP API: cross-cutting middleware, then one `app.route()` per feature. */
export function createApp(ctx: AppContext) {
  const app = createRouter();

  app.use(requestId());
  app.use(requestLog(ctx.logger, ctx.metrics));
  app.use(refuseEncodedBodies());
  app.use('/v1/*', authenticate(ctx));
  app.use('/v1/*', auditWrites(ctx));
  app.use('/v1/*', jsonBodyLimit(ctx.config.MAX_JSON_BODY_BYTES, isUpload));
  app.use('/webhooks/*', jsonBodyLimit(ctx.config.MAX_JSON_BODY_BYTES));
  app.use('/v1/*', requireJsonBody(isUpload));
  app.use('/webhooks/*', requireJsonBody());
  app.use('/v1/*', strictUtf8Body(isUpload));
  app.use('/webhooks/*', strictUtf8Body());

  app.route('/', healthRoutes(ctx));
  // With METRICS_PORT, /metrics is served there alone (createMetricsApp), not on this port.
  if (ctx.config.METRICS_PORT === undefined) app.route('/', metricsRoutes(ctx));
  app.route('/', docsRoutes());
  app.route('/', listRoutes(ctx));
  app.route('/', importRoutes(ctx));
  app.route('/', contactRoutes(ctx));
  app.route('/', templateRoutes(ctx));
  app.route('/', campaignRoutes(ctx));
  app.route('/', webhookRoutes(ctx));
  app.route('/', conversationRoutes(ctx));
  app.route('/', messageRoutes(ctx));
  app.route('/', profileRoutes(ctx));
  app.route('/', statsRoutes(ctx));
  app.route('/', userRoutes(ctx));
  app.route('/', senderRoutes(ctx));
  app.route('/', auditRoutes(ctx));
  registerStatsMetrics(ctx);
  // The console's pages, last: they call this very app in-process for their writes.
  app.route(
    '/',
    consoleRoutes(ctx, (request, env) => app.request(request, undefined, env)),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: "API_TOKEN (full access) or a personal token (`wbt_…`, its user's role)",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookie,
    description: "The console's session; a write also needs the session's `X-CSRF-Token` header",
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'WhatsApp campaign and template broadcast scheduler',
      version: '1.0.0',
      description:
        'Contact lists, templates, scheduled campaigns, paced sending through a chat-api.com gateway, replies and statistics.',
    },
    servers: [{ url: '/', description: 'This WhatsApp campaign and template broadcast scheduler' }],
    security: [{ bearer: [] }, { session: [] }],
  });

  return answerProblems(app, ctx);
}

/** What METRICS_PORT serves, in every role: `/metrics` alone, so that the public port need not. */
export function createMetricsApp(ctx: AppContext) {
  const app = createRouter();
  app.use(requestId());
  app.route('/', metricsRoutes(ctx));
  registerStatsMetrics(ctx);
  return answerProblems(app, ctx);
}

function answerProblems<T extends ReturnType<typeof createRouter>>(app: T, ctx: AppContext): T {
  app.notFound((c) =>
    problemResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => handleError(error, c, ctx.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
