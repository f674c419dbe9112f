import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import type { Logger } from '../logger';
import { showOnTerminal } from '../secrets';
import { hashPassword } from './passwords';

/**
 * The first admin (docs/design.md, rule 27), at a start that finds no user: ADMIN_EMAIL and
 * ADMIN_PASSWORD, else `admin@localhost` with a generated password shown once on the terminal
 * (never in the log). Under an advisory lock, so that processes starting together make one.
 */
export async function ensureFirstAdmin(db: Db, config: Config, logger: Logger): Promise<void> {
  const email = (config.ADMIN_EMAIL ?? 'admin@localhost').toLowerCase();
  const generated = config.ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url');
  const password = config.ADMIN_PASSWORD ?? (generated as string);
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('first-admin'))`);
    const [any] = await tx.select({ id: users.id }).from(users).limit(1);
    if (any) return false;
    const passwordHash = await hashPassword(password);
    await tx.insert(users).values({ email, name: 'Admin', role: 'admin', passwordHash });
    return true;
  });
  if (!created) return;
  logger.info({ email }, 'created the first admin');
  if (generated) {
    showOnTerminal([
      'Sign in to the console as the first admin:',
      `  email:    ${email}`,
      `  password: ${generated}`,
      'It is shown this once; change it under Settings, or set ADMIN_EMAIL and ADMIN_PASSWORD.',
    ]);
  }
}
