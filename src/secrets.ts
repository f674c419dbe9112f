import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './config';

export type Secrets = { apiToken: string; webhookSecret: string };

const StoredSecrets = z.object({ apiToken: z.string().min(16), webhookSecret: z.string().min(16) });

/**
 * API_TOKEN and WEBHOOK_SECRET come from the environment. On the embedded database only (a
 * single-machine install), missing ones are generated once, kept in DATA_DIR/secrets.json and
 * printed once on the terminal, never in the log. Config validation already refused to start
 * without them on an external database.
 */
export async function resolveSecrets(config: Config): Promise<Secrets> {
  if (config.API_TOKEN && config.WEBHOOK_SECRET) {
    return { apiToken: config.API_TOKEN, webhookSecret: config.WEBHOOK_SECRET };
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
  };
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
 * generated (hex: safe in a URL and a shell) and written. `created` tells the caller to show it.
 */
export async function readOrCreateSecretFile(
  file: string,
): Promise<{ secret: string; created: boolean }> {
  if (existsSync(file)) return { secret: (await readFile(file, 'utf8')).trim(), created: false };
  const secret = randomBytes(24).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { secret, created: true };
}
