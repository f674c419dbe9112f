import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type ServiceProcess = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

/**
 * The service as `npm start` runs it, in a child process with exactly the environment given
 * (the test run's own DATABASE_URL must not leak in).
 */
export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
