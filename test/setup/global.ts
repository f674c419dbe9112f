import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/db/embedded';
import { migrateDatabase } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { startBoss } from '../../src/queue/boss';
import { jobs } from '../../src/queue/registry';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

// Per run, so that two runs on one server (two checkouts, CI and a developer) never collide.
const TEMPLATE = `wa_test_template_${process.pid}`;

/**
 * Finds the PostgreSQL server of the run: TEST_DATABASE_URL or DATABASE_URL when set, else an
 * embedded one started once for the whole run. Prepares a template database (migrated, pg-boss
 * installed) that each test file copies into a fresh database of its own.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger('warn');
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-test-pg-'));
    embedded = await startEmbeddedPostgres(dataDir, logger);
    adminUrl = embedded.url;
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
  await admin.unsafe(`create database ${TEMPLATE}`);
  await admin.end();
  const templateUrl = withDatabase(adminUrl, TEMPLATE);
  await migrateDatabase(templateUrl, logger);
  const boss = await startBoss(templateUrl, logger, jobs, { supervise: false });
  await boss.stop({ graceful: false, wait: true });

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    if (embedded) {
      await embedded.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    } else {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
      await sql.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
