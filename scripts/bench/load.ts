import { Agent, request } from 'node:http';

/** One POST over a keep-alive agent; resolves with the status and the latency in ms. */
function post(agent: Agent, url: URL, body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export type LoadResult = { ok: number; failed: number; perSecond: number; latencies: number[] };

/**
 * Closed loop: `connections` clients each send their next request as soon as the previous one is
 * answered, for `seconds`. Node's http module rather than fetch: a lighter client leaves more of
 * the two cores to what is measured.
 */
export async function closedLoop(
  target: string,
  bodyOf: (i: number) => string,
  { connections = 32, seconds = 5 } = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target);
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const answer = await post(agent, url, bodyOf(next++)).catch(() => ({ status: 0, ms: 0 }));
        if (answer.status === 200) ok++;
        else failed++;
        latencies.push(answer.ms);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok, failed, perSecond: ok / elapsed, latencies };
}

/** Open loop: `rate` requests a second, sent on schedule whatever the answers, for `seconds`. */
export async function pacedLoad(
  target: string,
  bodyOf: (i: number) => string,
  { rate = 1000, seconds = 5 } = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(target);
  const total = rate * seconds;
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(agent, url, bodyOf(i)).then(
        (answer) => {
          if (answer.status === 200) ok++;
          else failed++;
          latencies.push(answer.ms);
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok, failed, perSecond: ok / elapsed, latencies };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
