import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_API_TOKEN, TEST_SECRETS_KEY, TEST_WEBHOOK_SECRET, testAdminEnv } from './service';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type ServiceProcess = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

/** Services spawned by this test file and not yet exited. */
const running = new Set<ChildProcess>();

/**
 * Stops what a test file left running (test/setup/children.ts calls it after each file): a test
 * that failed before its own cleanup left services sending and holding ports for the rest of
 * the run, and after it. SIGTERM, not SIGKILL: the service stops its own embedded PostgreSQL,
 * which runs detached from it.
 */
export async function stopLeftoverServices(): Promise<void> {
  const left = [...running];
  for (const child of left) child.kill('SIGTERM');
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 40_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          if (child.exitCode !== null || child.signalCode !== null) resolve();
        }),
    ),
  );
}

/**
 * The environment every child service of the suite starts from, and nothing of the test run's
 * own (its DATABASE_URL must not leak in): 127.0.0.1 on `port`, the suite's tokens, and an
 * embedded PostgreSQL on any free port unless a test names one (test files run in parallel, and
 * would race for the default 5433). With `databaseUrl`, an external database instead; with
 * `provider`, the fake chat-api provider instead of the sandbox. `testSecrets: false` leaves the
 * tokens out, so that a first embedded start generates and prints its own. The first admin is
 * always testAdmin: no child prints a generated password.
 */
export function childEnvironment(options: {
  port: number;
  databaseUrl?: string;
  provider?: { url: string; token: string };
  testSecrets?: boolean;
}): Record<string, string> {
  const { port, databaseUrl, provider, testSecrets = true } = options;
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    EMBEDDED_PG_PORT: '0',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...testAdminEnv,
    ...(testSecrets
      ? {
          API_TOKEN: TEST_API_TOKEN,
          WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
          SECRETS_KEY: TEST_SECRETS_KEY,
        }
      : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(provider ? { CHAT_API_URL: provider.url, CHAT_API_TOKEN: provider.token } : {}),
  };
}

/**
 * The service as `npm start` runs it, in a child process with exactly the environment given
 * (built on childEnvironment()).
 */
export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * The node arguments of `npm start` (package.json), so that the service runs as users run it.
 * The script `exec`s node so that npm's signals reach it (no shell in between).
 */
export function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const [command, ...args] = (pkg.scripts.start as string).replace(/^exec /, '').split(' ');
  if (command !== 'node') throw new Error(`npm start runs ${command}, not node`);
  return args;
}
