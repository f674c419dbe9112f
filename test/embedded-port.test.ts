import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEmbeddedPort, freePort } from '../src/db/embedded-port';
import { captureLogger } from './helpers/service';

/** Real sockets: a port is taken by something listening on it, as another PostgreSQL would. */
const holders: Server[] = [];

async function holdPort(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  holders.push(server);
}

afterEach(async () => {
  await Promise.all(
    holders.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

describe('the embedded PostgreSQL port', () => {
  it('is the one asked for, and a taken one fails naming EMBEDDED_PG_PORT', async () => {
    const { logger } = captureLogger();
    const port = await freePort();
    expect(await chooseEmbeddedPort(port, logger)).toBe(port);
    await holdPort(port);
    await expect(chooseEmbeddedPort(port, logger)).rejects.toThrow(
      `EMBEDDED_PG_PORT=${port}: 127.0.0.1:${port} is already in use`,
    );
  });

  it('0 is a free port chosen by the system', async () => {
    const { logger } = captureLogger();
    const port = await chooseEmbeddedPort(0, logger);
    expect(port).toBeGreaterThan(0);
  });

  it('without EMBEDDED_PG_PORT, moves to the next free port when the preferred one is taken, and warns', async () => {
    const { logger, lines } = captureLogger();
    const preferred = await freePort();
    expect(await chooseEmbeddedPort({ preferred }, logger)).toBe(preferred);
    expect(lines()).toEqual([]);

    await holdPort(preferred);
    const moved = await chooseEmbeddedPort({ preferred }, logger);
    expect(moved).not.toBe(preferred);
    // the same answer at the next start while the preferred port stays taken
    expect(await chooseEmbeddedPort({ preferred }, logger)).toBe(moved);
    expect(lines()[0]).toMatchObject({ level: 40, preferred, port: moved });
    expect(String(lines()[0]?.msg)).toContain('set EMBEDDED_PG_PORT');
  });
});
