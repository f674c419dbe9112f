import { connect, createServer } from 'node:net';
import type { Logger } from '../logger';

/**
 * Where the embedded PostgreSQL listens when EMBEDDED_PG_PORT is unset: one above PostgreSQL's
 * own 5432, so that it does not meet a local PostgreSQL server, and the same at every start, so
 * that an analyst's saved connection keeps working (docs/decisions.md).
 */
export const DEFAULT_EMBEDDED_PG_PORT = 5433;
/** Ports tried after the default, in order: a machine with a second cluster on 5433 still gets a stable one. */
const FALLBACK_PORTS = 9;

export type EmbeddedPortChoice =
  /** Exactly this port; 0: a free port chosen by the system. */
  | number
  /** This port, else the first free one of the next few, else any free one. */
  | { preferred: number };

/** The port to start the embedded server on; throws, naming EMBEDDED_PG_PORT, when a required one is taken. */
export async function chooseEmbeddedPort(
  choice: EmbeddedPortChoice,
  logger: Logger,
): Promise<number> {
  if (typeof choice === 'number') {
    if (choice === 0) return freePort();
    if (await isPortTaken(choice)) {
      throw new Error(
        `EMBEDDED_PG_PORT=${choice}: 127.0.0.1:${choice} is already in use (another PostgreSQL server?); stop what listens there, or set EMBEDDED_PG_PORT to another port (0: a free one at each start)`,
      );
    }
    return choice;
  }
  const last = Math.min(choice.preferred + FALLBACK_PORTS, 65_535);
  for (let port = choice.preferred; port <= last; port++) {
    if (await isPortTaken(port)) continue;
    if (port !== choice.preferred) warnMoved(logger, choice.preferred, port);
    return port;
  }
  const port = await freePort();
  warnMoved(logger, choice.preferred, port);
  return port;
}

function warnMoved(logger: Logger, preferred: number, port: number): void {
  logger.warn(
    { preferred, port },
    `127.0.0.1:${preferred} is in use: the embedded PostgreSQL listens on ${port}; set EMBEDDED_PG_PORT to choose its port`,
  );
}

/**
 * Taken when something accepts a connection there, or when the address cannot be bound. Both:
 * on macOS a server on 0.0.0.0 does not stop a bind to 127.0.0.1, and PostgreSQL would then
 * start beside it.
 */
async function isPortTaken(port: number): Promise<boolean> {
  const accepts = await new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (accepts) return true;
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/** A port free on 127.0.0.1 now (the system's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
