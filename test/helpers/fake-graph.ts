import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GraphRequest = {
  method: string;
  /** The path after the version: `106540352242922/messages`. */
  path: string;
  version: string;
  query: URLSearchParams;
  /** The bearer token of the Authorization header, null without one. */
  bearer: string | null;
  body: unknown;
  receivedAt: number;
  status?: number;
  /** When the answer was written (unset for a dropped connection). */
  answeredAt?: number;
};

export type GraphAnswer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow Graph API, or a timeout). */
  delayMs?: number;
  /** Drop the connection without an answer (lost after the request left). */
  destroy?: boolean;
};

/** HTTP statuses Meta answers its error codes with; any other code here is a 400. */
const STATUS_OF_CODE: Record<number, number> = { 0: 401, 190: 401, 1: 500, 2: 503, 131000: 500 };

/** Meta's error answer for `code`, shaped like the Graph API's. */
export function metaError(code: number, title = `error ${code}`, status?: number): GraphAnswer {
  return {
    status: status ?? STATUS_OF_CODE[code] ?? 400,
    body: {
      error: {
        message: `(#${code}) ${title}`,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: `${title}.` },
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

export const wamid = () => `wamid.HBgL${randomBytes(24).toString('base64')}`;

/** A template as `GET {wabaId}/message_templates` lists it. */
export type GraphTemplate = Record<string, unknown> & { name: string };

/**
 * Meta's Graph API on a free local port, for one number and one business account: answers
 * sends with wamids, the business profile, and the template list by pages whose `next` points
 * at itself (with `access_token` in it, as Meta's do); checks the bearer token (401, code 190,
 * otherwise); records every request; can be told to fail.
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  readonly phoneNumberId = '106540352242922';
  readonly businessAccountId = '102290129340398';
  url = '';
  templates: GraphTemplate[] = [];
  profile: Record<string, unknown> = {
    about: 'Succulent specialists',
    address: '1 Hacker Way',
    description: 'We sell plants.',
    email: 'shop@example.com',
    websites: ['https://example.com/'],
    vertical: 'RETAIL',
  };
  private readonly server: Server;
  private failures: GraphAnswer[] = [];
  private readonly byRecipient = new Map<string, GraphAnswer>();
  private responder: ((request: GraphRequest) => GraphAnswer | undefined) | undefined;
  /** Other numbers on the same Graph API, each with its own token (senders of their own). */
  private readonly numbers = new Map<string, string>();

  constructor(readonly token = 'EAAfakeGraphToken0123456789') {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(token?: string): Promise<FakeGraph> {
    const graph = new FakeGraph(token);
    await new Promise<void>((resolve) => graph.server.listen(0, '127.0.0.1', resolve));
    graph.url = `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}`;
    return graph;
  }

  /** Another number this Graph API serves sends for, under its own token. */
  addNumber(phoneNumberId: string, token: string): void {
    this.numbers.set(phoneNumberId, token);
  }

  /** The next `count` requests get this answer. */
  failNext(answer: GraphAnswer, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(answer);
  }

  /** Every send to this recipient (digits, as `to`) gets this answer until `reset()`. */
  answerFor(to: string, answer: GraphAnswer): void {
    this.byRecipient.set(to, answer);
  }

  /**
   * Asks `responder` first for every request (after `failNext`'s answers): what it answers is
   * sent, undefined lets the request through as usual. A storm on one number, or a token that
   * stops working mid-run. Undefined removes it; `reset()` does too.
   */
  answerWith(responder: ((request: GraphRequest) => GraphAnswer | undefined) | undefined): void {
    this.responder = responder;
  }

  sends(): GraphRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  }

  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.byRecipient.clear();
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
    const [, version = '', ...rest] = url.pathname.split('/');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text for the test to see
    }
    const request: GraphRequest = {
      method: req.method ?? 'GET',
      version,
      path: rest.join('/'),
      query: url.searchParams,
      bearer: /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null,
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    const to = String((body as { to?: unknown } | undefined)?.to ?? '');
    const answer =
      this.failures.shift() ??
      this.byRecipient.get(to) ??
      this.responder?.(request) ??
      this.normal(request);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.destroy) {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    request.status = answer.status;
    request.answeredAt = Date.now();
  }

  private normal(request: GraphRequest): GraphAnswer {
    const number = request.path.split('/')[0] ?? '';
    // a number's own token for its paths; the business account's (its templates) takes the
    // token of any of its numbers, as each number's sender syncs the account's templates
    const tokens = this.numbers.has(number)
      ? [this.numbers.get(number)]
      : number === this.businessAccountId
        ? [this.token, ...this.numbers.values()]
        : [this.token];
    const given = [request.bearer, request.query.get('access_token')];
    if (!given.some((token) => token && tokens.includes(token)))
      return metaError(190, 'Error validating access token: The session has expired');
    if (!/^v\d+\.\d+$/.test(request.version)) return metaError(2500, 'Unknown path components');
    const payload = (request.body ?? {}) as Record<string, unknown>;
    const route = this.numbers.has(number)
      ? `${request.method} ${request.path.replace(number, this.phoneNumberId)}`
      : `${request.method} ${request.path}`;
    switch (route) {
      case `POST ${this.phoneNumberId}/messages`: {
        if (payload.messaging_product !== 'whatsapp' || !/^\d{7,15}$/.test(String(payload.to)))
          return metaError(100, 'Invalid parameter');
        return {
          status: 200,
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: payload.to, wa_id: payload.to }],
            messages: [{ id: wamid(), message_status: 'accepted' }],
          },
        };
      }
      case `GET ${this.phoneNumberId}/whatsapp_business_profile`:
        return {
          status: 200,
          body: { data: [{ ...this.profile, messaging_product: 'whatsapp' }] },
        };
      case `POST ${this.phoneNumberId}/whatsapp_business_profile`: {
        const { messaging_product: _, ...fields } = payload;
        this.profile = { ...this.profile, ...fields };
        return { status: 200, body: { success: true } };
      }
      case `GET ${this.businessAccountId}/message_templates`:
        return this.templatePage(request);
      default:
        return metaError(100, 'Unsupported request');
    }
  }

  /** A page of templates from the cursor `after`, with `next` when more follow. */
  private templatePage(request: GraphRequest): GraphAnswer {
    const limit = Math.min(Number(request.query.get('limit') ?? 25), 100);
    const start = Number(request.query.get('after') ?? 0);
    const data = this.templates.slice(start, start + limit);
    const cursors = { before: String(start), after: String(start + data.length) };
    const more = start + data.length < this.templates.length;
    const next = new URL(`${this.url}/${request.version}/${request.path}`);
    for (const [key, value] of request.query) next.searchParams.set(key, value);
    next.searchParams.set('access_token', this.token);
    next.searchParams.set('after', cursors.after);
    return {
      status: 200,
      body: { data, paging: { cursors, ...(more ? { next: next.toString() } : {}) } },
    };
  }
}

/** `X-Hub-Signature-256` for a body under an app secret, as Meta signs its webhook posts. */
export function signWebhook(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Posts a webhook body to `url` signed with `appSecret`, as Meta does. */
export function postSignedWebhook(
  url: string,
  body: unknown,
  appSecret: string,
): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhook(raw, appSecret),
    },
    body: raw,
    signal: AbortSignal.timeout(5000),
  });
}

/** A webhook envelope of one change (`field`) of one entry, as Meta posts it. */
export function webhookEnvelope(
  field: string,
  value: Record<string, unknown>,
  wabaId = '102290129340398',
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: [{ value, field }] }],
  };
}

/** A `messages` change's value for a number, with statuses and/or inbound messages. */
export function messagesValue(
  phoneNumberId: string,
  parts: { statuses?: unknown[]; messages?: unknown[]; contacts?: unknown[] },
): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
    ...parts,
  };
}
