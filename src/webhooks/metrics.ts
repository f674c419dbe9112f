import { Counter, type Registry } from 'prom-client';

/**
 * Webhook counters, registered on the service's own registry the first time a feature asks
 * (kept here rather than in src/metrics.ts so that the feature owns its metrics).
 */
function create(registry: Registry) {
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

export type WebhookMetrics = ReturnType<typeof create>;

const byRegistry = new WeakMap<Registry, WebhookMetrics>();

export function webhookMetrics(registry: Registry): WebhookMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = create(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
