import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createWebhookMetrics } from './webhooks/metrics';

/**
 * One registry per service instance (not prom-client's global one), so that several instances
 * in one test process do not collide. Features add their metrics here.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const sends = new Counter({
    name: 'wa_sends_total',
    help: 'Provider sends by sender (its id), message kind and outcome (accepted, refused, retryable, unknown, auth, sender, template, holdout)',
    labelNames: ['sender', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  const providerLatency = new Histogram({
    name: 'wa_provider_request_duration_seconds',
    help: 'Provider call latency by sender (its id) and operation',
    labelNames: ['sender', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const pendingMessages = new Gauge({
    name: 'wa_pending_messages',
    help: 'Messages waiting to be sent (all runs), as of the last housekeeping round',
    registers: [registry],
  });
  const sendRate = new Gauge({
    name: 'wa_send_rate_per_second',
    help: 'Sends started by this process through each sender (its id) in the last second (its current pace)',
    labelNames: ['sender'] as const,
    registers: [registry],
  });
  const senderStatus = new Gauge({
    name: 'wa_sender_status',
    help: "Each sender's status (active, paused, auth_failed): 1 for the one it is in, 0 for the others, as of the last housekeeping round or this process's last hold",
    labelNames: ['sender', 'status'] as const,
    registers: [registry],
  });
  const autoPauses = new Counter({
    name: 'wa_campaign_auto_pauses_total',
    help: 'Campaigns paused by a safety rail, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const transfersInFlight = new Gauge({
    name: 'wa_transfers_in_flight',
    help: 'CSV uploads this process is receiving and exports it is streaming, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpRequestDuration,
    sends,
    providerLatency,
    pendingMessages,
    sendRate,
    senderStatus,
    autoPauses,
    transfersInFlight,
    webhooks: createWebhookMetrics(registry),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

type SenderStatus = 'active' | 'paused' | 'auth_failed';
const senderStatuses: readonly SenderStatus[] = ['active', 'paused', 'auth_failed'];

/**
 * Sets `wa_sender_status` for the senders given: 1 for each one's status, 0 for its others.
 * With `all`, they are every sender there is, and a deleted one's series go.
 */
export function showSenderStatuses(
  metrics: Metrics,
  rows: readonly { id: string; status: SenderStatus }[],
  all: boolean,
): void {
  if (all) metrics.senderStatus.reset();
  for (const { id, status } of rows)
    for (const each of senderStatuses)
      metrics.senderStatus.set({ sender: id, status: each }, each === status ? 1 : 0);
}
