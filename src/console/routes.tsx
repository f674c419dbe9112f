import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import type { AppContext } from '../context';
import { accountPages } from './account/pages';
import { analyticsPages } from './analytics/pages';
import type { InProcessApi } from './api-call';
import { assetRoutes } from './assets';
import { audiencePages } from './audiences/pages';
import { campaignFormPages } from './campaign-form/pages';
import { campaignPages } from './campaigns/pages';
import { conversationPages } from './conversations/pages';
import type { ConsoleDeps } from './deps';
import { consoleError } from './error-page';
import { LiveHub } from './live';
import { senderPages } from './senders/pages';
import { requireSignIn } from './session-guard';
import { settingsPages } from './settings/pages';
import { signInRoutes } from './sign-in';
import { templatePages } from './templates/pages';

const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/** The paths the console's pages live under; everything else is the API's or the service's. */
export const consolePrefixes = [
  '/audiences',
  '/templates',
  '/campaigns',
  '/conversations',
  '/analytics',
  '/settings',
  '/account',
] as const;

/**
 * The console (docs/console.md): server-rendered pages at `/`, beside the API at `/v1`. Pages
 * read through the features' own query functions and write through the API in-process.
 */
export function consoleRoutes(ctx: AppContext, api: InProcessApi) {
  const live = new LiveHub({
    intervalMs: 1000,
    maxStreams: ctx.config.LIVE_MAX_STREAMS,
    maxStreamSeconds: ctx.config.LIVE_STREAM_MAX_MINUTES * 60,
  });
  const deps: ConsoleDeps = { ctx, api, live };
  const app = new Hono();
  app.onError((error, c) => consoleError(error, c, ctx.logger));
  // Only the console's own paths: the API and the webhook keep their answers as they are (an
  // export of a million rows is not gzipped on the way, a webhook needs no CSP).
  const pages = [
    '/',
    '/sign-in',
    '/sign-out',
    '/assets/*',
    ...consolePrefixes.flatMap((p) => [p, `${p}/*`]),
  ];
  for (const path of pages) {
    app.use(path, secureHeaders({ contentSecurityPolicy }));
    app.use(path, compress());
  }
  app.route('/', assetRoutes());
  app.route('/', signInRoutes(ctx));
  app.get('/', requireSignIn(ctx), (c) => c.redirect('/campaigns', 303));
  for (const prefix of consolePrefixes) {
    app.use(prefix, requireSignIn(ctx));
    app.use(`${prefix}/*`, requireSignIn(ctx));
  }
  app.route('/', audiencePages(deps));
  app.route('/', templatePages(deps));
  app.route('/', campaignFormPages(deps));
  app.route('/', campaignPages(deps));
  app.route('/', conversationPages(deps));
  app.route('/', analyticsPages(deps));
  app.route('/', settingsPages(deps));
  app.route('/', senderPages(deps));
  app.route('/', accountPages(deps));
  return app;
}
