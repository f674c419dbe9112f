import { Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';

export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer; ms: number };

/**
 * One request over a keep-alive agent; resolves with the status, the headers, the body as it came
 * over the wire (not decompressed: its length is what was sent) and the latency in ms to its end.
 */
export function send(
  agent: Agent,
  url: URL,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<Answer> {
  const { method = 'GET', headers = {}, body } = options;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const post = (agent: Agent, url: URL, body: string, headers: OutgoingHttpHeaders = {}) =>
  send(agent, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

export type LoadResult = { ok: number; failed: number; perSecond: number; latencies: number[] };

/**
 * Closed loop: `connections` clients each send their next request as soon as the previous one is
 * answered, for `seconds`. Node's http module rather than fetch: a lighter client leaves more of
 * the two cores to what is measured.
 */
export async function closedLoop(
  target: string,
  bodyOf: (i: number) => string,
  {
    connections = 32,
    seconds = 5,
    headersOf,
  }: {
    connections?: number;
    seconds?: number;
    /** Headers a body goes with (a signature of it), computed by the client per request. */
    headersOf?: (body: string) => OutgoingHttpHeaders;
  } = {},
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
        const body = bodyOf(next++);
        const answer = await post(agent, url, body, headersOf?.(body)).catch(() => ({
          status: 0,
          ms: 0,
        }));
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
