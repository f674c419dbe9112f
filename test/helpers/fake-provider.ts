import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
  receivedAt: number;
  /** When the answer left (unset while in flight, and for a dropped connection). */
  answeredAt?: number;
  /** The status answered, and whether the answer accepted a send (`sent: true`). */
  status?: number;
  accepted?: boolean;
};

export type FakeAnswer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow provider, or a timeout). */
  delayMs?: number;
  /** Drop the connection without an answer (connection lost after the request left). */
  destroy?: boolean;
};

type Responder = (request: RecordedRequest) => FakeAnswer | undefined;

/**
 * A chat-api.com instance on a free local port: answers `sendTemplate`, `message` and `me` in
 * the provider's shapes, records every request, and can be told to fail.
 */
export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  readonly token: string;
  private server: Server;
  private failures: FakeAnswer[] = [];
  private responder: Responder | undefined;
  private profile: Record<string, string> = {
    address: 'Main st 1',
    description: 'Best Company',
    email: '',
    vertical: '',
  };
  url = '';
  /** Added to every normal answer: a provider that takes its time, so sends are in flight. */
  latencyMs = 0;

  constructor(token = 'fake-provider-token') {
    this.token = token;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  static async start(token?: string): Promise<FakeProvider> {
    const provider = new FakeProvider(token);
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    const { port } = provider.server.address() as AddressInfo;
    provider.url = `http://127.0.0.1:${port}/instance777`;
    return provider;
  }

  /** The next `count` requests get this answer (then the provider behaves again). */
  failNext(answer: FakeAnswer, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(answer);
  }

  /** Decide every answer (return undefined for the normal one); `undefined` removes it. */
  respondWith(responder: Responder | undefined): void {
    this.responder = responder;
  }

  sends(path = '/sendTemplate'): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Phones the provider took a template for more than once: duplicates a recipient would see. */
  duplicates(): string[] {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const r of this.sends()) {
      if (r.accepted === false) continue; // answered 429/5xx/refusal: provably not taken
      const phone = phoneOf(r);
      if (seen.has(phone)) twice.add(phone);
      seen.add(phone);
    }
    return [...twice];
  }

  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.responder = undefined;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text: a test may assert on it
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/instance777/, ''),
      token: url.searchParams.get('token'),
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    const answer = this.failures.shift() ??
      this.responder?.(recorded) ?? { delayMs: this.latencyMs, ...this.normal(recorded) };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.destroy) {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    recorded.answeredAt = Date.now();
    recorded.status = answer.status;
    recorded.accepted =
      answer.status === 200 && (answer.body as { sent?: unknown } | undefined)?.sent === true;
  }

  private normal(request: RecordedRequest): FakeAnswer {
    if (request.token !== this.token) {
      return {
        status: 401,
        body: { error: 'Wrong token. Please provide token as a GET parameter.' },
      };
    }
    const payload = (request.body ?? {}) as Record<string, unknown>;
    switch (`${request.method} ${request.path}`) {
      case 'POST /sendTemplate':
      case 'POST /message': {
        const phone = String(payload.phone ?? '');
        if (!/^\d{7,15}$/.test(phone))
          return { status: 200, body: { sent: false, message: 'Phone is not valid' } };
        const chatId = `${phone}@c.us`;
        return {
          status: 200,
          body: {
            sent: true,
            message: `Sent to ${chatId}`,
            id: `true_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`,
            queueNumber: this.requests.length,
          },
        };
      }
      case 'GET /me':
        return { status: 200, body: { ...this.profile } };
      case 'POST /me':
        this.profile = { ...this.profile, ...(payload as Record<string, string>) };
        return { status: 200, body: { result: 'success' } };
      default:
        return { status: 404, body: { error: 'Not found' } };
    }
  }
}

/** The phone a provider request was for. */
export const phoneOf = (request: { body: unknown }) =>
  String((request.body as { phone?: unknown } | undefined)?.phone);
