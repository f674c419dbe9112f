import { Counter, type Registry } from 'prom-client';

/**
 * Webhook counters, registered on the service's own registry by createMetrics (kept here rather
 * than in src/metrics.ts so that the feature owns its metrics).
 */
export function createWebhookMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'webhook_requests_total',
      help: 'Webhook requests by result: stored, unauthorized, invalid',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: 'webhook_events_total',
      help: 'Webhook acks and messages applied, by kind (ack, message) and result',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
