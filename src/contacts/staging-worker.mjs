// A worker thread that stages chunks of an import: phone normalisation (libphonenumber-js costs
// about 10 µs a number, 40-60 µs for calling codes that several countries share, +1 and +44)
// and the COPY text of the accepted rows. Its heap is small and capped, so the rows of a
// million-row file never pile up in the service's main heap. Plain JavaScript so that it starts
// the same way under `npm start`, vitest and plain node: it registers tsx itself and then uses
// the one implementation in staging-chunk.ts.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { stageChunk } = await import('./staging-chunk.ts');

parentPort?.on('message', ({ id, rows, firstRow, layout }) => {
  const result = stageChunk(rows, firstRow, layout);
  parentPort?.postMessage({ id, result }, [result.data.buffer]);
});
