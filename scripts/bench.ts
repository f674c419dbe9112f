import { benchCloudApi } from './bench/cloud-api';
import { benchConsole } from './bench/console';
import { benchDispatch, benchPacing } from './bench/dispatch';
import { type Figure, printTable } from './bench/harness';
import { benchIdle } from './bench/idle';
import { benchImport } from './bench/import';
import { benchSnapshot } from './bench/snapshot';
import { benchStats } from './bench/stats';
import { benchWebhook } from './bench/webhook';
import { benchWindows } from './bench/windows';

/**
 * `npm run bench [-- name...]`: runs the named benchmarks (all by default) against real
 * PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL, else an embedded one) and prints one table.
 */
const benchmarks: Record<string, () => Promise<Figure[]>> = {
  import: benchImport,
  snapshot: benchSnapshot,
  dispatch: benchDispatch,
  pacing: benchPacing,
  windows: benchWindows,
  'cloud-api': benchCloudApi,
  webhook: benchWebhook,
  stats: benchStats,
  idle: benchIdle,
  console: benchConsole,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benchmarks[name]);
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`,
  );
  process.exit(2);
}
const figures: Figure[] = [];
for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
  const run = benchmarks[name];
  if (run) figures.push(...(await run()));
}
console.log('');
printTable(figures);
process.exit(figures.every((f) => f.ok) ? 0 : 1);
