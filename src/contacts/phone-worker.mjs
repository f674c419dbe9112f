// A worker thread that normalises phone numbers for imports (libphonenumber-js costs about
// 10 µs a number, 40-60 µs for calling codes that several countries share (+1, +44): a
// million-row file would spend well over ten seconds on one core). Plain JavaScript so that it
// starts the same way under `npm start`, vitest and plain node: it registers tsx itself and then
// uses the one implementation in phone.ts.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { normalizePhone } = await import('./phone.ts');

// Files repeat numbers (the same customer twice, a shared office line): a repeat costs a lookup.
// Bounded, and emptied when full, so a worker's memory stays small.
const CACHE_SIZE = 50_000;
const cache = new Map();

// Answers one string per number, cheaper to pass back than objects: the E.164 number (which
// starts with `+`) or the reason it is impossible (which never does).
parentPort?.on('message', ({ id, phones, defaultCountry }) => {
  const results = phones.map((phone) => {
    let result = cache.get(phone);
    if (result === undefined) {
      const normalized = normalizePhone(phone, defaultCountry);
      result = normalized.ok ? normalized.e164 : normalized.reason;
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(phone, result);
    }
    return result;
  });
  parentPort?.postMessage({ id, results });
});
