import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { Config } from '../../config';
import { Page } from '../layout';
import { formatNumber } from '../ui/format';
import { SettingsNav } from './settings-nav';

/**
 * What an admin sets up once: the webhook URL to paste into the provider, and the sending rate
 * and limits this installation runs with (from the environment; docs/operations.md lists them).
 */
export function SettingsOverview(props: { c: Context; config: Config; webhookSecret: string }) {
  const { c, config } = props;
  const origin = new URL(c.req.url).origin;
  const webhookUrl = `${origin}/webhooks/chat-api?secret=${encodeURIComponent(props.webhookSecret)}`;
  const limits: [string, string, string][] = [
    [
      'Sending rate',
      `${formatNumber(config.SEND_RATE_PER_SECOND)} messages a second`,
      'SEND_RATE_PER_SECOND',
    ],
    [
      'Messaging limit',
      config.MESSAGING_LIMIT_24H
        ? `${formatNumber(config.MESSAGING_LIMIT_24H)} recipients outside a window per 24 hours`
        : 'None set',
      'MESSAGING_LIMIT_24H',
    ],
    ['Attempts per message', formatNumber(config.SEND_MAX_ATTEMPTS), 'SEND_MAX_ATTEMPTS'],
    [
      'Replies count for a campaign for',
      `${formatNumber(config.REPLY_ATTRIBUTION_HOURS)} hours`,
      'REPLY_ATTRIBUTION_HOURS',
    ],
    [
      'Most skipped recipients before a start asks',
      `${config.MAX_SKIPPED_PERCENT}%`,
      'MAX_SKIPPED_PERCENT',
    ],
    [
      'Least time between two runs of a schedule',
      `${formatNumber(config.MIN_SCHEDULE_INTERVAL_MINUTES)} minutes`,
      'MIN_SCHEDULE_INTERVAL_MINUTES',
    ],
    ['Opt-out keywords', config.OPT_OUT_KEYWORDS.join(', ') || 'None', 'OPT_OUT_KEYWORDS'],
    ['Default country for imports', config.DEFAULT_COUNTRY ?? 'None', 'DEFAULT_COUNTRY'],
    [
      'Largest CSV upload',
      `${formatNumber(Math.round(config.MAX_UPLOAD_BYTES / 1048576))} MiB`,
      'MAX_UPLOAD_BYTES',
    ],
    [
      'Provider',
      config.CHAT_API_URL ? 'chat-api gateway' : 'Sandbox (no messages leave this machine)',
      'CHAT_API_URL',
    ],
  ];
  return (
    <Page actor={actorOf(c)} area="settings" title="Settings">
      <SettingsNav current="/settings" />
      <section class="card" aria-labelledby="webhook-heading">
        <h2 id="webhook-heading">Webhook URL</h2>
        <p>
          Paste this address into your provider's webhook setting, so that delivery reports and
          customers' replies reach this service. It holds a secret: share it with no one else.
        </p>
        <pre class="block" id="webhook-url">
          {webhookUrl}
        </pre>
        <button type="button" class="button" data-copy="#webhook-url" hidden>
          Copy webhook URL
        </button>
        <p class="hint muted">
          Behind a proxy or a load balancer, use its public address instead of {origin}.
        </p>
        <p>
          This is the default sender’s address. Every other number has its own, on its page in{' '}
          <a href="/settings/senders">Senders</a>, with its pace, its limit and its state.
        </p>
      </section>
      <section class="card" aria-labelledby="limits-heading">
        <h2 id="limits-heading">Sending rate and limits</h2>
        <p class="muted">
          Set in the service's environment; change them there and restart. Each row names its
          variable.
        </p>
        <dl class="details">
          {limits.map(([label, value, variable]) => (
            <>
              <dt>{label}</dt>
              <dd>
                {value} <code class="muted">{variable}</code>
              </dd>
            </>
          ))}
        </dl>
      </section>
    </Page>
  );
}
