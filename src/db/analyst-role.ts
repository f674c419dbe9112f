import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { getViewConfig } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import type { Logger } from '../logger';
import { readOrCreateSecretFile, showOnTerminal } from '../secrets';
import { campaignStats, conversationMessages, messageFacts, runStats } from './schema/views';

/**
 * The views analysts may read (README, "Statistics and analyst views"): the one list the
 * `analyst` role's grants follow. A view added by a later migration is readable by analysts once
 * it is named here.
 */
export const ANALYST_VIEWS = [messageFacts, conversationMessages, campaignStats, runStats].map(
  (view) => getViewConfig(view).name,
);

const ROLE = 'analyst';

/**
 * Keeps the embedded database's read-only `analyst` role in step at every start, after the
 * migrations: it logs in with the password kept in `DATA_DIR/analyst-password` (generated and
 * shown once on the terminal), and reads ANALYST_VIEWS and nothing else. A view reads its tables
 * with its owner's rights, so SELECT on the views is all it needs; every other grant it may have
 * been given is taken back. Logs the connection URL, without the password.
 */
export async function keepAnalystRole(
  adminUrl: string,
  dataDir: string,
  logger: Logger,
): Promise<void> {
  const passwordFile = path.join(path.resolve(dataDir), 'analyst-password');
  const { secret: password, created } = await readOrCreateSecretFile(passwordFile);
  const { host, pathname } = new URL(adminUrl);
  const database = pathname.slice(1);
  const views = ANALYST_VIEWS.map((view) => `"${view}"`).join(', ');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const [found] = await tx`select 1 from pg_roles where rolname = ${ROLE}`;
      if (!found) await tx.unsafe(`create role ${ROLE}`);
      await tx.unsafe(
        `alter role ${ROLE} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls noinherit password '${scramVerifier(password)}'`,
      );
      // What PostgreSQL grants every role (PUBLIC): keep CONNECT and USAGE on public; take away
      // CREATE on public (no longer granted since PostgreSQL 15; a cluster made before keeps it)
      // and temporary tables. The service itself connects as the superuser, which needs neither.
      await tx.unsafe(`revoke create on schema public from public`);
      await tx.unsafe(`revoke temporary on database "${database}" from public`);
      await tx.unsafe(`revoke all on all tables in schema public from ${ROLE}`);
      await tx.unsafe(`revoke all on all sequences in schema public from ${ROLE}`);
      await tx.unsafe(`grant connect on database "${database}" to ${ROLE}`);
      await tx.unsafe(`grant select on ${views} to ${ROLE}`);
    });
  } finally {
    await sql.end();
  }
  const url = `postgres://${ROLE}@${host}/${database}`;
  logger.info(
    { url, passwordFile, views: ANALYST_VIEWS },
    `analysts read the views at ${url} (read-only role "${ROLE}", password in ${passwordFile})`,
  );
  if (created) {
    showOnTerminal([
      `A read-only PostgreSQL role for analysts (password stored in ${passwordFile}):`,
      `  PGPASSWORD=${password} psql ${url}`,
      `It reads the views ${ANALYST_VIEWS.join(', ')} and nothing else. Shown this once.`,
    ]);
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 7677), as psql's \password
 * computes it: the server takes it as is, so the password itself never reaches the server, its
 * log (shown at LOG_LEVEL=trace) or pg_stat_activity.
 */
function scramVerifier(password: string): string {
  const iterations = 4096;
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (text: string) => createHmac('sha256', salted).update(text).digest();
  const storedKey = createHash('sha256').update(hmac('Client Key')).digest('base64');
  const serverKey = hmac('Server Key').toString('base64');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}
