// The sign-in verb the console calls (docs/design.md, rules 28 and 29), and the first admin a
// start creates (rule 27).
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { auditEvents, users } from '../src/db/schema';
import { AppError } from '../src/errors';
import { ensureFirstAdmin } from '../src/users/first-admin';
import { hashPassword, verifyPassword } from '../src/users/passwords';
import { signIn } from '../src/users/sign-in';
import { api } from './helpers/api';
import { createTestDatabase } from './helpers/database';
import {
  captureLogger,
  TEST_API_TOKEN,
  TEST_WEBHOOK_SECRET,
  testAdmin,
  useTestService,
} from './helpers/service';
import { createTestUser } from './helpers/users';

const MAX_FAILURES = 3;
const t = useTestService({
  env: { ROLE: 'api', LOGIN_MAX_FAILURES_PER_MINUTE: String(MAX_FAILURES) },
});

/** The error a sign-in ends with, or 'signed in'. */
async function outcome(email: string, password: string, address: string) {
  try {
    await signIn(t.service.ctx, { email, password, address });
    return 'signed in';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      retryAfter: error.retryAfterSeconds,
    };
  }
}

const refused = {
  status: 401,
  code: 'unauthorized',
  message: 'The email or the password is wrong.',
  retryAfter: undefined,
};

describe('signIn', () => {
  it('opens a session for the right password, whatever the email case, and records it', async () => {
    const user = await createTestUser(t, 'marketer');
    const session = await signIn(t.service.ctx, {
      email: ` ${user.email.toUpperCase()} `,
      password: user.password,
      address: '10.0.0.1',
    });
    expect(session.user).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      role: 'marketer',
    });
    expect(session.token.length).toBeGreaterThanOrEqual(40);
    expect(session.csrfToken.length).toBeGreaterThanOrEqual(30);
    const shown = await api(t).get(`/v1/users/${user.id}`);
    expect(Date.parse(String(shown.body.lastLoginAt))).toBeGreaterThan(Date.now() - 60_000);
    const events = await t.service.ctx.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.userId, user.id));
    expect(events.map((e) => [e.action, e.actorKind, e.targetId])).toEqual([
      ['user.sign_in', 'user', user.id],
    ]);
  });

  it('answers a wrong password, an unknown email and a disabled account alike', async () => {
    const user = await createTestUser(t, 'analyst');
    const disabled = await createTestUser(t, 'analyst');
    expect((await api(t).patch(`/v1/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    expect(await outcome(user.email, 'not-the-password', '10.0.1.1')).toEqual(refused);
    expect(await outcome('nobody-here@example.com', 'not-the-password', '10.0.1.2')).toEqual(
      refused,
    );
    expect(await outcome(disabled.email, disabled.password, '10.0.1.3')).toEqual(refused);
    const failed = await t.service.ctx.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.sign_in_failed'));
    expect(failed.map((e) => e.email)).toEqual(
      expect.arrayContaining([user.email, 'nobody-here@example.com', disabled.email]),
    );
    expect(failed.every((e) => e.actorKind === 'anonymous')).toBe(true);
  });

  it('refuses an account with 429 and Retry-After after LOGIN_MAX_FAILURES_PER_MINUTE failures, from any address', async () => {
    const user = await createTestUser(t, 'marketer');
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await outcome(user.email, `wrong-${i}`, `10.0.2.${i}`)).toEqual(refused);
    }
    // the right password from a fresh address: the account waits out its minute
    expect(await outcome(user.email, user.password, '10.0.2.99')).toEqual({
      status: 429,
      code: 'too_many_requests',
      message: expect.stringMatching(/try again in a minute/),
      retryAfter: 60,
    });
    // another account is not held back
    const other = await createTestUser(t, 'marketer');
    expect(await outcome(other.email, other.password, '10.0.2.98')).toBe('signed in');
  });

  it('refuses an address with 429 after LOGIN_MAX_FAILURES_PER_MINUTE failures, whatever the account', async () => {
    const address = '10.0.3.1';
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await outcome(`guess-${i}@example.com`, 'wrong-password', address)).toEqual(refused);
    }
    const user = await createTestUser(t, 'analyst');
    expect(await outcome(user.email, user.password, address)).toMatchObject({
      status: 429,
      retryAfter: 60,
    });
    expect(await outcome(user.email, user.password, '10.0.3.2')).toBe('signed in');
  });

  it('counts a failure only: signing in right does not use up the allowance', async () => {
    const user = await createTestUser(t, 'analyst');
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      expect(await outcome(user.email, user.password, '10.0.4.1')).toBe('signed in');
    }
  });
});

describe('ensureFirstAdmin', () => {
  const opened: { close(): Promise<void> }[] = [];
  const dropped: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    for (const drop of dropped.splice(0)) await drop();
    vi.restoreAllMocks();
  });

  async function freshDatabase(env: Record<string, string> = {}) {
    const database = await createTestDatabase();
    dropped.push(database.drop);
    const config = loadConfig({
      DATABASE_URL: database.url,
      API_TOKEN: TEST_API_TOKEN,
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      ...env,
    });
    const { logger, lines } = captureLogger();
    const db = openDatabase(database.url, logger);
    opened.push(db);
    return { db: db.db, config, logger, lines };
  }

  /** What the call printed on the terminal (stdout), kept off the test's own output. */
  function terminal(): () => string {
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    spy.mockClear();
    return () => spy.mock.calls.map(([chunk]) => String(chunk)).join('');
  }

  it('creates the admin of ADMIN_EMAIL and ADMIN_PASSWORD, lower-cased, and prints nothing', async () => {
    const { db, config, logger, lines } = await freshDatabase({
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: testAdmin.password,
    });
    const printed = terminal();
    await ensureFirstAdmin(db, config, logger);
    expect(printed()).toBe('');
    const rows = await db.select().from(users);
    expect(rows.map((r) => [r.email, r.role, r.disabled])).toEqual([
      ['boss@example.com', 'admin', false],
    ]);
    expect(await verifyPassword(testAdmin.password, rows[0]?.passwordHash ?? '')).toBe(true);
    expect(JSON.stringify(lines())).not.toContain(testAdmin.password);
  });

  it('generates a password when none is given and shows it once on the terminal, never in the log', async () => {
    const { db, config, logger, lines } = await freshDatabase();
    const printed = terminal();
    await ensureFirstAdmin(db, config, logger);
    const password = /password: +(\S+)/.exec(printed())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    const [admin] = await db.select().from(users);
    expect(admin?.email).toBe('admin@localhost');
    expect(await verifyPassword(password, admin?.passwordHash ?? '')).toBe(true);
    expect(JSON.stringify(lines())).not.toContain(password);
    // a second start finds the admin: nothing new, nothing printed
    const again = terminal();
    await ensureFirstAdmin(db, config, logger);
    expect(again()).toBe('');
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it('makes one admin when two starts run at once', async () => {
    const { db, config, logger } = await freshDatabase({
      ADMIN_EMAIL: testAdmin.email,
      ADMIN_PASSWORD: testAdmin.password,
    });
    await Promise.all([
      ensureFirstAdmin(db, config, logger),
      ensureFirstAdmin(db, config, logger),
      ensureFirstAdmin(db, config, logger),
    ]);
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it('never creates one when a user exists, whatever the environment says', async () => {
    const { db, config, logger } = await freshDatabase({
      ADMIN_EMAIL: 'second@example.com',
      ADMIN_PASSWORD: testAdmin.password,
    });
    await db.insert(users).values({
      email: 'someone@example.com',
      name: 'Someone',
      role: 'marketer',
      passwordHash: await hashPassword('password-of-someone'),
    });
    const printed = terminal();
    await ensureFirstAdmin(db, config, logger);
    expect(printed()).toBe('');
    expect((await db.select().from(users)).map((u) => u.email)).toEqual(['someone@example.com']);
  });
});
