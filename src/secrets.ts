import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './config';
import { CredentialsKey } from './senders/credentials-cipher';

export type Secrets = {
  apiToken: string;
  webhookSecret: string;
  /**
   * Seals the senders' stored credentials (docs/design.md, rule 32). Absent only on an external
   * database without SECRETS_KEY, where no credentials may be stored.
   */
  credentialsKey?: CredentialsKey;
};

const StoredSecrets = z.object({ apiToken: z.string().min(16), webhookSecret: z.string().min(16) });

/**
 * API_TOKEN and WEBHOOK_SECRET come from the environment. On the embedded database only (a
 * single-machine install), missing ones are generated once, kept in DATA_DIR/secrets.json and
 * printed once on the terminal, never in the log. Config validation already refused to start
 * without them on an external database.
 */
export async function resolveSecrets(config: Config): Promise<Secrets> {
  const credentialsKey = await resolveCredentialsKey(config);
  if (config.API_TOKEN && config.WEBHOOK_SECRET) {
    return { apiToken: config.API_TOKEN, webhookSecret: config.WEBHOOK_SECRET, credentialsKey };
  }
  const file = path.resolve(config.DATA_DIR, 'secrets.json');
  let stored: Secrets;
  if (existsSync(file)) {
    stored = StoredSecrets.parse(JSON.parse(await readFile(file, 'utf8')));
  } else {
    stored = {
      apiToken: randomBytes(24).toString('base64url'),
      webhookSecret: randomBytes(24).toString('base64url'),
    };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    showOnTerminal([
      `Generated credentials for this installation (stored in ${file}):`,
      `  API_TOKEN=${config.API_TOKEN ? '(from the environment)' : stored.apiToken}`,
      `  WEBHOOK_SECRET=${config.WEBHOOK_SECRET ? '(from the environment)' : stored.webhookSecret}`,
      'They are shown this once; set them in the environment to choose your own.',
    ]);
  }
  return {
    apiToken: config.API_TOKEN ?? stored.apiToken,
    webhookSecret: config.WEBHOOK_SECRET ?? stored.webhookSecret,
    credentialsKey,
  };
}

/**
 * SECRETS_KEY from the environment; on the embedded database without it, one generated once
 * into DATA_DIR/secrets-key and shown once, like the API token. On an external database without
 * it there is none: stored credentials are then refused (src/senders/stored-credentials.ts).
 */
async function resolveCredentialsKey(config: Config): Promise<CredentialsKey | undefined> {
  if (config.SECRETS_KEY) return new CredentialsKey(config.SECRETS_KEY);
  if (config.DATABASE_URL) return undefined;
  const file = path.resolve(config.DATA_DIR, 'secrets-key');
  await mkdir(path.dirname(file), { recursive: true });
  const { secret, created } = await readOrCreateSecretFile(file, 32);
  if (created) {
    showOnTerminal([
      `Generated SECRETS_KEY, which seals the senders' credentials (stored in ${file}):`,
      `  SECRETS_KEY=${secret}`,
      'Back it up with the database: without it, stored credentials cannot be read.',
    ]);
  }
  return new CredentialsKey(secret);
}

/**
 * Prints a generated secret for the person at the terminal: on stdout, outside the JSON log
 * (which is often shipped elsewhere), so that no log line ever carries it.
 */
export function showOnTerminal(lines: string[]): void {
  process.stdout.write(`\n${lines.map((line) => `  ${line}`).join('\n')}\n\n`);
}

/**
 * A secret kept in a file of its own (mode 600) under DATA_DIR: read when the file exists, else
 * generated from `bytes` random bytes (hex: safe in a URL and a shell) and written. `created` tells the caller to show it.
 */
export async function readOrCreateSecretFile(
  file: string,
  bytes = 24,
): Promise<{ secret: string; created: boolean }> {
  if (existsSync(file)) return { secret: (await readFile(file, 'utf8')).trim(), created: false };
  const secret = randomBytes(bytes).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { secret, created: true };
}
