// A worker thread that normalises phone numbers for imports (libphonenumber-js costs about
// 10 µs a number: a million-row file would spend ten seconds on one core). Plain JavaScript so
// that it starts the same way under `npm start`, vitest and plain node: it registers tsx itself
// and then uses the one implementation in phone.ts.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { normalizePhone } = await import('./phone.ts');

parentPort?.on('message', ({ id, phones, defaultCountry }) => {
  const results = phones.map((phone) => normalizePhone(phone, defaultCountry));
  parentPort?.postMessage({ id, results });
});
