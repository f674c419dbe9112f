import postgres from 'postgres';
import { freePort } from '../../src/db/embedded';
import { childEnvironment, type ServiceProcess, spawnService } from '../helpers/child';
import { createTestDatabase } from '../helpers/database';
import { FakeProvider } from '../helpers/fake-provider';
import { TEST_API_TOKEN, waitFor } from '../helpers/service';

/**
 * The fault suite's stage: one database, one fake provider, and the real service started as
 * child processes (`npm start` with ROLE=api, worker or all) that a test may kill, restart or
 * starve of its database. Everything is checked at the provider and in the database.
 */
export type Proc = ServiceProcess & { base?: string; name: string };

export type Json = Record<string, unknown>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: a seeded random source, so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: FAULT_SEED when given, else a fresh one; printed so it can be repeated. */
export function faultSeed(what: string): number {
  const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.info(`[faults] ${what}: seed ${seed} (FAULT_SEED=${seed} repeats it)`);
  return seed;
}

export class Rig {
  readonly processes: Proc[] = [];
  readonly sql: postgres.Sql;
  private api: Proc | undefined;
  private dropDatabase: (() => Promise<void>) | undefined;

  private constructor(
    readonly databaseUrl: string,
    readonly provider: FakeProvider,
    readonly env: Record<string, string>,
  ) {
    this.sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  }

  static async start(databaseUrl: string, env: Record<string, string> = {}): Promise<Rig> {
    const provider = await FakeProvider.start();
    return new Rig(databaseUrl, provider, env);
  }

  /** A rig on a fresh test database of its own (a copy of the template), dropped at `stop()`. */
  static async onFreshDatabase(env: Record<string, string> = {}): Promise<Rig> {
    const database = await createTestDatabase();
    const rig = await Rig.start(database.url, env);
    rig.dropDatabase = database.drop;
    return rig;
  }

  /**
   * Starts a service process and waits for its start log line. A free port can be taken by
   * another test's process before this one listens on it: that start is tried again on another.
   */
  async spawn(role: 'api' | 'worker' | 'all', env: Record<string, string> = {}): Promise<Proc> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.spawnOnce(role, env);
      } catch (error) {
        if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
      }
    }
  }

  private async spawnOnce(role: 'api' | 'worker' | 'all', env: Record<string, string>) {
    const port = await freePort();
    const service = spawnService({
      ...childEnvironment({ port, databaseUrl: this.databaseUrl, provider: this.provider }),
      // A killed worker is declared dead this long after its last heartbeat (every 2 s).
      WORKER_TIMEOUT_SECONDS: '4',
      PROVIDER_TIMEOUT_SECONDS: '5',
      LOG_LEVEL: 'info',
      ROLE: role,
      ...this.env,
      ...env,
    });
    const name = `${role}#${this.processes.length + 1}`;
    const proc: Proc = { ...service, name };
    if (role !== 'worker') proc.base = `http://127.0.0.1:${port}`;
    this.processes.push(proc);
    await waitFor(
      async () => {
        if (service.child.exitCode !== null)
          throw new Error(`${name} exited at start:\n${service.output()}`);
        return service.output().includes('"service started"');
      },
      { timeoutMs: 60_000, intervalMs: 50, what: `${name} to start` },
    );
    if (role !== 'worker') this.api ??= proc;
    return proc;
  }

  /** SIGKILL: no shutdown, no outcome stored, no heartbeat removed. */
  async kill(proc: Proc): Promise<void> {
    proc.child.kill('SIGKILL');
    await proc.exited;
    // the next API process started answers the calls
    if (this.api === proc) this.api = undefined;
  }

  /** A JSON call to the API process; answers status and body whatever the status. */
  async call(method: string, path: string, body?: unknown, type = 'application/json') {
    if (!this.api?.base) throw new Error('no API process started');
    const response = await fetch(`${this.api.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }

  /**
   * A list of `recipients` contacts imported by CSV through the API, a template and a
   * campaign over it (not started); answers the campaign id. Phones start at `from` so that
   * several campaigns of one test reach different people. `fields` go into the campaign as
   * they are (`senderId`, `followUp`).
   */
  async campaign(recipients: number, from = 0, fields: Json = {}): Promise<string> {
    const list = await this.call('POST', '/v1/lists', { name: `faults ${from}` });
    const csv = [
      'phone,first_name',
      ...Array.from({ length: recipients }, (_, i) => `+4917${10_000_000 + from + i},N${i}`),
    ].join('\n');
    const imported = await this.call('POST', `/v1/lists/${list.body.id}/imports`, csv, 'text/csv');
    if (imported.status !== 202) throw new Error(`import refused: ${JSON.stringify(imported)}`);
    await waitFor(
      async () =>
        (await this.call('GET', `/v1/imports/${imported.body.id}`)).body.status === 'completed',
      { timeoutMs: 60_000, intervalMs: 100, what: 'the import' },
    );
    const template = await this.call('POST', '/v1/templates', {
      name: `promo_${from}`,
      namespace: 'ns',
      language: { code: 'en' },
      parameters: ['{{first_name}}'],
    });
    const campaign = await this.call('POST', '/v1/campaigns', {
      name: `faults ${from}`,
      templateId: template.body.id,
      listIds: [list.body.id],
      ...fields,
    });
    if (campaign.status !== 201) throw new Error(`campaign refused: ${JSON.stringify(campaign)}`);
    return String(campaign.body.id);
  }

  async startCampaign(id: string): Promise<void> {
    const started = await this.call('POST', `/v1/campaigns/${id}/start`);
    if (started.status !== 200) throw new Error(`start refused: ${JSON.stringify(started)}`);
  }

  /** Waits for the campaign to be `completed`, read from the database (the API may be down). */
  async completed(id: string, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const [row] = await this.sql<{ status: string }[]>`
          select status from campaigns where id = ${id}`.catch(() => []);
        return row?.status === 'completed';
      },
      { timeoutMs, intervalMs: 200, what: `campaign ${id} to complete` },
    );
  }

  /** Message rows of a campaign by status. */
  async counts(id: string): Promise<Record<string, number>> {
    const rows = await this.sql<{ status: string; count: number }[]>`
      select status::text, count(*)::int as count from messages where campaign_id = ${id} group by status`;
    return Object.fromEntries(rows.map((r) => [r.status, r.count]));
  }

  /** Phones of a campaign's rows in a status, in the provider's form (digits only). */
  async phones(id: string, status: string): Promise<string[]> {
    const rows = await this.sql<{ phone: string }[]>`
      select phone from messages where campaign_id = ${id} and status = ${status}::message_status`;
    return rows.map((r) => r.phone.replace(/\D/g, ''));
  }

  /** The log of every process, for a failing test's message. */
  logs(): string {
    return this.processes.map((p) => `--- ${p.name}\n${p.output().slice(-4000)}`).join('\n');
  }

  async stop(): Promise<void> {
    for (const proc of this.processes) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGTERM');
        const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
        await proc.exited;
        clearTimeout(timer);
      }
    }
    await this.sql.end();
    await this.provider.stop();
    await this.dropDatabase?.();
  }
}

export { phoneOf } from '../helpers/fake-provider';
