import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startService } from '../src/service';
import { launchBrowser, newWatchedContext, signInAs } from '../test/helpers/browser';

/**
 * `npm run screenshots`: every console page at 1,440 and 375 px, into docs/screenshots/, from a
 * service of its own (a fresh embedded PostgreSQL, or DATABASE_URL's server with a database made
 * for the run) with the sandbox provider and a small account seeded through the API.
 */
const out = path.resolve(import.meta.dirname, '../docs/screenshots');
const admin = { email: 'admin@example.com', password: 'screenshots-admin-password' };
const token = 'screenshots-api-token-0123456789';

const dataDir = mkdtempSync(path.join(tmpdir(), 'wa-screenshots-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  EMBEDDED_PG_PORT: '0',
  API_TOKEN: token,
  WEBHOOK_SECRET: 'screenshots-webhook-secret-0123',
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  MIN_SCHEDULE_INTERVAL_MINUTES: '0',
  SEND_RATE_PER_SECOND: '20',
});
const service = await startService(config, createLogger('warn'), {
  sandbox: { replyRate: 0.4, stopRate: 0.1, ackDelayMs: 200 },
});
const base = `http://127.0.0.1:${service.port}`;

async function api<T>(method: string, route: string, body?: unknown, type = 'application/json') {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function until(what: string, check: () => Promise<boolean>, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const names = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas'];
const cities = ['Berlin', 'Hamburg', 'Munich', 'Cologne', ''];
const csv = [
  'phone,first_name,city',
  ...Array.from({ length: 60 }, (_, i) => {
    const name = names[i % names.length] ?? 'Alex';
    return `+49151${String(12345000 + i)},${name},${cities[i % cities.length]}`;
  }),
  'not a number,Eve,Paris',
].join('\n');

const list = await api<{ id: string }>('POST', '/v1/lists', { name: 'Spring customers' });
await api('POST', '/v1/lists', { name: 'VIP customers' });
const upload = await api<{ id: string }>('POST', `/v1/lists/${list.id}/imports`, csv, 'text/csv');
await until('the import', async () => {
  const state = await api<{ status: string }>('GET', `/v1/imports/${upload.id}`);
  return state.status === 'completed' || state.status === 'failed';
});
const template = await api<{ id: string }>('POST', '/v1/templates', {
  name: 'spring_sale',
  namespace: 'demo_namespace',
  language: { code: 'en' },
  parameters: ['{{first_name|there}}', '{{city|your city}}'],
});
const sender = await api<{ id: string }>('POST', '/v1/senders', {
  name: 'Berlin shop',
  provider: 'cloud-api',
  displayPhoneNumber: '+49 30 1234567',
  ratePerSecond: 80,
  messagingLimit24h: 1000,
  credentials: {
    phoneNumberId: '109876543210',
    businessAccountId: '209876543210',
    accessToken: 'screenshots-access-token',
    appSecret: 'screenshots-app-secret',
    verifyToken: 'screenshots-verify-token',
  },
});
const sent = await api<{ id: string }>('POST', '/v1/campaigns', {
  name: 'Spring sale',
  templateId: template.id,
  listIds: [list.id],
  followUp: { body: 'Thanks {{first_name|}}! Your code: SPRING10' },
});
await api('POST', `/v1/campaigns/${sent.id}/start`, {});
const draft = await api<{ id: string }>('POST', '/v1/campaigns', {
  name: 'Summer preview',
  templateId: template.id,
  listIds: [list.id],
});
await api('POST', '/v1/campaigns', {
  name: 'Weekly digest',
  templateId: template.id,
  listIds: [list.id],
  schedule: { cron: '0 9 * * MON', timezone: 'Europe/Berlin' },
});
await until('the first campaign', async () => {
  const state = await api<{ status: string }>('GET', `/v1/campaigns/${sent.id}`);
  return state.status === 'completed';
});
await until('a reply', async () => {
  const page = await api<{ data: unknown[] }>('GET', '/v1/conversations');
  return page.data.length > 0;
});
const conversations = await api<{ data: { phone: string }[] }>('GET', '/v1/conversations');
const phone = conversations.data[0]?.phone ?? '';
const contacts = await api<{ data: { id: string }[] }>(
  'GET',
  `/v1/lists/${list.id}/contacts?limit=1`,
);
const contactId = contacts.data[0]?.id ?? '';

const pages: [name: string, route: string][] = [
  ['sign-in', '/sign-in'],
  ['audiences', '/audiences'],
  ['audience-list', `/audiences/lists/${list.id}`],
  ['audience-upload', `/audiences/lists/${list.id}/upload`],
  ['audience-import', `/audiences/imports/${upload.id}`],
  ['audience-contacts', '/audiences/contacts?q=Anna'],
  ['audience-contact', `/audiences/contacts/${contactId}`],
  ['audience-opt-outs', '/audiences/opt-outs'],
  ['templates', '/templates'],
  ['template-new', `/templates/new?previewList=${list.id}`],
  ['template', `/templates/${template.id}`],
  ['campaigns', '/campaigns'],
  ['campaign', `/campaigns/${sent.id}`],
  ['campaign-new', '/campaigns/new'],
  ['campaign-launch', `/campaigns/${draft.id}/launch`],
  ['conversations', '/conversations'],
  ['conversation', `/conversations/${encodeURIComponent(phone)}`],
  ['analytics', '/analytics'],
  ['settings', '/settings'],
  ['settings-senders', '/settings/senders'],
  ['settings-sender-new', '/settings/senders/new?provider=cloud-api'],
  ['settings-sender', `/settings/senders/${sender.id}`],
  ['settings-users', '/settings/users'],
  ['settings-audit', '/settings/audit'],
  ['settings-profile', '/settings/profile'],
  ['account', '/account'],
];

mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
try {
  for (const width of [1440, 375]) {
    const { context, page, problems } = await newWatchedContext(browser, {
      baseURL: base,
      width,
    });
    for (const [name, route] of pages) {
      if (name === 'sign-in') {
        await page.goto(route);
      } else {
        if (
          new URL(page.url(), base).pathname.startsWith('/sign-in') ||
          page.url() === 'about:blank'
        )
          await signInAs(page, admin.email, admin.password);
        const response = await page.goto(route);
        if (!response?.ok()) console.warn(`${route} answered ${response?.status()}`);
        // a part loaded after the page (the launch preview's figures) is in the picture
        await page
          .locator('[data-fragment-waiting]')
          .waitFor({ state: 'detached', timeout: 10_000 });
      }
      const file = path.join(out, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
    if (problems.length > 0)
      console.warn(`browser console at ${width} px:\n${problems.join('\n')}`);
    await context.close();
  }
} finally {
  await browser.close();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
