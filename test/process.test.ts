import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { childEnvironment, spawnService } from './helpers/child';
import { createTestDatabase } from './helpers/database';
import { waitFor } from './helpers/service';

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

describe('the service process', () => {
  it('refuses to start on a bad environment and names each bad variable', async () => {
    const service = spawnService({
      ...childEnvironment({ port: await freePort() }),
      PORT: 'eighty',
      ROLE: 'scheduler',
      SEND_MAX_ATTEMPTS: '0',
    });
    expect(await service.exited).toBe(78);
    const output = service.output();
    expect(output).toContain('Invalid configuration');
    for (const name of ['PORT', 'ROLE', 'SEND_MAX_ATTEMPTS']) expect(output).toContain(`${name}:`);
  });

  it('serves on an external database and stops cleanly on SIGTERM', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const service = spawnService(childEnvironment({ port, databaseUrl: database.url }));
    try {
      await waitFor(() => ready(port), { timeoutMs: 30_000, what: 'readyz' });
      const unauthorized = await fetch(`http://127.0.0.1:${port}/v1/lists`);
      expect(unauthorized.status).toBe(401);
      service.child.kill('SIGTERM');
      expect(await service.exited, service.output()).toBe(0);
      const lines = service.output().split('\n');
      expect(lines.some((line) => line.includes('"msg":"queue stopped"'))).toBe(true);
      expect(lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      service.child.kill('SIGKILL');
      await database.drop();
    }
  });

  it('runs on its own embedded PostgreSQL, generates the secrets once and reuses both', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wa-embedded-'));
    const env = (port: number) => ({
      ...childEnvironment({ port, testSecrets: false }),
      DATA_DIR: dataDir,
    });
    try {
      const firstPort = await freePort();
      const first = spawnService(env(firstPort));
      await waitFor(() => ready(firstPort), { timeoutMs: 60_000, what: 'embedded readyz' });
      const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as {
        apiToken: string;
      };
      expect(first.output()).toContain(`API_TOKEN=${secrets.apiToken}`);
      // and SECRETS_KEY, which seals the senders' credentials: generated, kept, shown once
      const secretsKey = (await readFile(path.join(dataDir, 'secrets-key'), 'utf8')).trim();
      expect(secretsKey).toMatch(/^[0-9a-f]{64}$/);
      expect(first.output()).toContain(`SECRETS_KEY=${secretsKey}`);
      const authorized = await fetch(`http://127.0.0.1:${firstPort}/v1/nothing`, {
        headers: { authorization: `Bearer ${secrets.apiToken}` },
      });
      expect(authorized.status).toBe(404);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain('embedded PostgreSQL stopped');
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const secondPort = await freePort();
      const second = spawnService(env(secondPort));
      await waitFor(() => ready(secondPort), { timeoutMs: 60_000, what: 'second readyz' });
      expect(second.output()).not.toContain('API_TOKEN=');
      expect(second.output()).not.toContain('SECRETS_KEY=');
      expect((await readFile(path.join(dataDir, 'secrets-key'), 'utf8')).trim()).toBe(secretsKey);
      expect(second.output()).not.toContain('creating the embedded PostgreSQL cluster');
      const again = await fetch(`http://127.0.0.1:${secondPort}/v1/nothing`, {
        headers: { authorization: `Bearer ${secrets.apiToken}` },
      });
      expect(again.status).toBe(404);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
