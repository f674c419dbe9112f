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
    help: 'Provider sends by message kind and outcome (accepted, refused, retryable, unknown, auth)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const providerLatency = new Histogram({
    name: 'wa_provider_request_duration_seconds',
    help: 'Provider call latency by operation',
    labelNames: ['operation'] as const,
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
    help: 'Sends started by this process in the last second (the current pace)',
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
    autoPauses,
    transfersInFlight,
    webhooks: createWebhookMetrics(registry),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
