import { Agent } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type Seeded, seedConsole } from './console-seed';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  startServiceProcess,
} from './harness';
import { type Answer, percentile, send } from './load';

const SIZE = {
  contacts: Number(process.env.BENCH_CONSOLE_CONTACTS ?? 100_000),
  campaigns: Number(process.env.BENCH_CONSOLE_CAMPAIGNS ?? 1_000),
  messages: Number(process.env.BENCH_CONSOLE_MESSAGES ?? 1_000_000),
};
/** Leaves the seeded database on the server afterwards, to EXPLAIN a slow page's queries. */
const KEEP = process.env.BENCH_CONSOLE_KEEP === '1';
const WARMUPS = 5;
const REQUESTS = 40;
const GOAL_MS = 100;
const SCRIPT_GOAL_KB = 100;
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-0123' };

type ConsolePage = { path: string; optional?: boolean };

/**
 * The console's pages, `{name}` standing for an id of the seed (Seeded). One that answers 404 is
 * not built yet on this branch and is skipped; an `optional` one is measured only when it
 * answers 200 (a draft's launch and edit pages may send elsewhere). A new page is a line here.
 */
const pages: ConsolePage[] = [
  { path: '/campaigns' },
  { path: '/campaigns?show=running' },
  { path: '/campaigns?show=finished' },
  { path: '/campaigns/new' },
  { path: '/campaigns/{bigCampaign}' },
  { path: '/campaigns/{completedCampaign}' },
  { path: '/campaigns/{draftCampaign}/launch', optional: true },
  { path: '/campaigns/{draftCampaign}/launch/figures', optional: true },
  { path: '/campaigns/{draftCampaign}/edit', optional: true },
  { path: '/audiences' },
  { path: '/audiences/lists/{list}' },
  { path: '/audiences/lists/{list}/upload' },
  { path: '/audiences/imports/{import}' },
  { path: '/audiences/contacts' },
  { path: '/audiences/contacts?q=Berlin' },
  { path: '/audiences/contacts/{contact}' },
  { path: '/audiences/opt-outs' },
  { path: '/templates' },
  { path: '/templates/new' },
  { path: '/templates/{template}' },
  { path: '/conversations' },
  { path: '/conversations/{phone}' },
  { path: '/analytics' },
  { path: '/settings' },
  { path: '/settings/senders' },
  { path: '/settings/senders/{sender}' },
  { path: '/settings/users' },
  { path: '/settings/users/{user}' },
  { path: '/settings/audit' },
  { path: '/settings/profile' },
  { path: '/account' },
];

function resolvePath(path: string, ids: Seeded): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = (ids as Record<string, string | undefined>)[name];
    if (id === undefined) throw new Error(`${path}: the seed has no id named ${name}`);
    return encodeURIComponent(id);
  });
}

const cookieOf = (answer: Answer, name: string) =>
  (answer.headers['set-cookie'] ?? [])
    .map((cookie) => cookie.split(';')[0] ?? '')
    .find((cookie) => cookie.startsWith(`${name}=`));

const textOf = (answer: Answer) =>
  (answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body).toString(
    'utf8',
  );

/** Signs in as a browser does (src/console/sign-in.tsx); answers the session's cookie. */
async function signIn(agent: Agent, base: string): Promise<string> {
  const url = new URL('/sign-in', base);
  const form = await send(agent, url);
  const formCookie = cookieOf(form, 'wbs_signin');
  const csrf = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(textOf(form))?.[1];
  if (form.status !== 200 || !formCookie || !csrf)
    throw new Error(`GET /sign-in answered ${form.status} without its form token`);
  const answer = await send(agent, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
    body: new URLSearchParams({ ...ADMIN, _csrf: csrf }).toString(),
  });
  const session = cookieOf(answer, 'wbs_session');
  if (answer.status !== 303 || !session)
    throw new Error(`POST /sign-in answered ${answer.status} without a session`);
  return session;
}

type Get = (path: string) => Promise<Answer>;

/**
 * WARMUPS requests, then REQUESTS timed one after another; the first answer decides. Each timed
 * one is followed by a timed GET /healthz (no database, no page): the floor of the same moment,
 * which shows how much of a p95 is the machine's scheduling rather than the page.
 */
async function timePage(get: Get, path: string) {
  const first = await get(path);
  const times: number[] = [];
  const floor: number[] = [];
  if (first.status !== 200) return { first, times, floor };
  for (let i = 1; i < WARMUPS + REQUESTS; i++) {
    const answer = await get(path);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status} at request ${i}`);
    if (i < WARMUPS) continue;
    times.push(answer.ms);
    floor.push((await get('/healthz')).ms);
  }
  return { first, times, floor };
}

/** The page's `<script src>` files, fetched compressed as a browser would: their bytes summed. */
async function scriptBytes(get: Get, html: string, sizes: Map<string, number>) {
  const sources = new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]));
  let bytes = 0;
  for (const src of sources) {
    if (!src) continue;
    let size = sizes.get(src);
    if (size === undefined) {
      const answer = await get(src);
      if (answer.status !== 200) throw new Error(`${src} answered ${answer.status}`);
      size = answer.body.length;
      sizes.set(src, size);
    }
    bytes += size;
  }
  return { files: sources.size, kb: bytes / 1024 };
}

async function measurePage(get: Get, page: ConsolePage, path: string, sizes: Map<string, number>) {
  const goal = `p95 < ${GOAL_MS} ms`;
  const { first, times, floor } = await timePage(get, path);
  if (first.status === 404) {
    // No route answers with the API's problem document; a page of the console that did not
    // find what the path names answers with an HTML page.
    const routed = String(first.headers['content-type']).startsWith('text/html');
    const value = routed ? 'not found (a 404 page: the seed lacks it?)' : 'not built (404)';
    return [{ what: page.path, value, goal, ok: true }];
  }
  if (first.status !== 200) {
    const to = first.headers.location ? ` to ${first.headers.location}` : '';
    return [
      page.optional
        ? { what: page.path, value: `skipped (${first.status}${to})`, goal, ok: true }
        : { what: page.path, value: `answered ${first.status}${to}`, goal, ok: false },
    ];
  }
  const html = textOf(first);
  const placeholder = html.includes('This page is being built.') ? ' (placeholder)' : '';
  const p95 = percentile(times, 95);
  const scripts = await scriptBytes(get, html, sizes);
  return [
    {
      what: `${page.path}${placeholder}`,
      value: `p95 ${p95.toFixed(1)} ms (p50 ${percentile(times, 50).toFixed(1)} ms; page ${(first.body.length / 1024).toFixed(1)} KB compressed)`,
      goal,
      baseline: `GET /healthz p95 ${percentile(floor, 95).toFixed(1)} ms`,
      ok: p95 < GOAL_MS,
    },
    {
      what: `  its scripts (${scripts.files})`,
      value: `${scripts.kb.toFixed(1)} KB compressed`,
      goal: `≤ ${SCRIPT_GOAL_KB} KB`,
      ok: scripts.kb <= SCRIPT_GOAL_KB,
    },
  ];
}

/**
 * `npm run bench -- console`: every console page's time to its whole body (p50, p95) and its
 * scripts' compressed size, signed in as an admin, on a large account seeded by SQL.
 */
export async function benchConsole(): Promise<Figure[]> {
  const server = await benchServer();
  const name = 'wa_bench_console';
  const url = await freshDatabase(server.adminUrl, name);
  // The API role alone: no scheduler or dispatcher moves the seeded campaigns meanwhile.
  const service = await startServiceProcess(url, {
    ROLE: 'api',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const seedStarted = performance.now();
    const ids = await seedConsole(url, SIZE);
    console.log(`console: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const cookie = await signIn(agent, service.baseUrl);
    const get: Get = (path) =>
      send(agent, new URL(path, service.baseUrl), {
        headers: { cookie, accept: 'text/html', 'accept-encoding': 'gzip' },
      });
    const figures: Figure[] = [];
    const sizes = new Map<string, number>();
    for (const page of pages) {
      const rows = await measurePage(get, page, resolvePath(page.path, ids), sizes);
      console.log(`console: ${rows.map((row) => `${row.what.trim()} ${row.value}`).join('; ')}`);
      figures.push(...rows);
    }
    return figures;
  } finally {
    agent.destroy();
    await service.stop();
    if (KEEP) console.log(`console: the seeded database stays at ${url}`);
    else await dropDatabase(server.adminUrl, name);
    await server.stop();
  }
}
