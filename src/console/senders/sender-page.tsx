import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Sender } from '../../senders/schemas';
import { Page } from '../layout';
import { SettingsNav } from '../settings/settings-nav';
import {
  ActionButton,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  labelledErrors,
} from '../ui/form';
import { viewerZone } from '../ui/format';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';
import { CredentialFields, credentialLabels } from './credential-fields';
import { SenderFields, senderLabels } from './sender-fields';
import type { SenderValues } from './sender-values';
import {
  limitWords,
  numberWords,
  providerWords,
  rateWords,
  statusAdvice,
  statusWords,
} from './words';

/** What a form of the page posted, shown again with the API's errors beside its fields. */
export type SenderPageForm = {
  values: SenderValues;
  credentials: Record<string, string>;
  errors: FieldErrors;
  message?: string;
};

/**
 * A sender's page: its state (and what to do when it does not send) and details first, the
 * webhook address to paste at its provider, then, for admins, its changes: name and limits,
 * pause or resume, new credentials, delete (docs/design.md, rule 31).
 */
export function SenderPage(props: {
  c: Context;
  sender: Sender;
  form: SenderPageForm;
  notice?: string;
}) {
  const { c, sender, form } = props;
  const actor = actorOf(c);
  const admin = can(actor, 'admin');
  const advice = statusAdvice(sender);
  return (
    <Page
      actor={actor}
      area="settings"
      title={sender.name}
      subtitle={
        <span class="campaign-subtitle">
          <a href="/settings/senders">Senders</a> ·{' '}
          <StateBadge state={sender.status} label={statusWords[sender.status]} />
        </span>
      }
    >
      {admin ? <SettingsNav current="/settings/senders" /> : null}
      <ErrorSummary
        errors={labelledErrors(form.errors, { ...senderLabels, ...credentialLabels })}
        message={form.message}
      />
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {advice ? (
        <p class={sender.status === 'auth_failed' ? 'notice danger' : 'notice warn'}>{advice}</p>
      ) : null}
      <dl class="details">
        <dt>Provider</dt>
        <dd>{providerWords[sender.provider]}</dd>
        <dt>Number</dt>
        <dd>
          {numberWords(sender)}
          {sender.displayPhoneNumber && sender.phoneNumberId ? (
            <span class="muted">{` · phone number ID ${sender.phoneNumberId}`}</span>
          ) : null}
        </dd>
        {sender.businessAccountId ? (
          <>
            <dt>Business account ID</dt>
            <dd>{sender.businessAccountId}</dd>
          </>
        ) : null}
        <dt>Pace</dt>
        <dd>{rateWords(sender.ratePerSecond)}</dd>
        <dt>24-hour limit</dt>
        <dd>{limitWords(sender.messagingLimit24h)}</dd>
        <dt>Default</dt>
        <dd>
          {sender.isDefault
            ? 'Yes: campaigns send through it unless they name another. It comes from the service’s environment and cannot be deleted.'
            : 'No: only the campaigns that name it send through it.'}
        </dd>
        <dt>Added</dt>
        <dd>
          <Time at={sender.createdAt} zone={viewerZone(c)} />
        </dd>
      </dl>
      <WebhookSection c={c} sender={sender} />
      {admin ? <AdminForms c={c} sender={sender} form={form} /> : null}
    </Page>
  );
}

/**
 * The address its provider posts delivery reports and replies to. A chat-api sender's holds its
 * own webhook secret, which is a credential: the page shows the address without it and says
 * where it goes. A Cloud API number shares Meta's one address, told apart by its verify token.
 */
function WebhookSection(props: { c: Context; sender: Sender }) {
  const { sender } = props;
  const origin = new URL(props.c.req.url).origin;
  const admin = can(actorOf(props.c), 'admin');
  if (sender.provider === 'sandbox') {
    return (
      <section class="card" aria-labelledby="webhook-heading">
        <h2 id="webhook-heading">Webhook</h2>
        <p>The sandbox makes up its own delivery reports and replies: it needs no webhook.</p>
      </section>
    );
  }
  const url =
    sender.provider === 'cloud-api'
      ? `${origin}/webhooks/whatsapp`
      : sender.isDefault
        ? `${origin}/webhooks/chat-api?secret=`
        : `${origin}/webhooks/chat-api/${sender.id}?secret=`;
  return (
    <section class="card" aria-labelledby="webhook-heading">
      <h2 id="webhook-heading">Webhook</h2>
      {sender.provider === 'cloud-api' ? (
        <p>
          In your Meta app’s WhatsApp webhook setting, paste this address as the{' '}
          <strong>Callback URL</strong>, and subscribe to the <code>messages</code> field:
        </p>
      ) : (
        <p>Paste this address into the gateway’s webhook setting:</p>
      )}
      <pre class="block" id="webhook-url">
        {url}
      </pre>
      <button type="button" class="button" data-copy="#webhook-url" hidden>
        Copy webhook URL
      </button>
      {sender.provider === 'cloud-api' ? (
        <p>
          As its <strong>Verify token</strong>, type the verify token of this sender’s credentials
          {sender.isDefault ? (
            <>
              {' '}
              (<code>WHATSAPP_VERIFY_TOKEN</code> of the service’s environment)
            </>
          ) : null}
          . It is not shown here: credentials are never shown back.
        </p>
      ) : sender.isDefault ? (
        <p>
          Add the service’s webhook secret (<code>WEBHOOK_SECRET</code>) at its end, after{' '}
          <code>?secret=</code>.{' '}
          {admin ? (
            <>
              The whole address is on the <a href="/settings">Settings overview</a>.
            </>
          ) : (
            'An admin has the whole address.'
          )}
        </p>
      ) : (
        <p>
          Add the webhook secret of this sender’s credentials at its end, after{' '}
          <code>?secret=</code>. It is not shown here: credentials are never shown back. If it has
          none, replace its credentials with one.
        </p>
      )}
      <p class="hint muted">
        Behind a proxy or a load balancer, use its public address instead of {origin}.
      </p>
    </section>
  );
}

function AdminForms(props: { c: Context; sender: Sender; form: SenderPageForm }) {
  const { sender, form } = props;
  const actor = actorOf(props.c);
  const base = `/settings/senders/${sender.id}`;
  return (
    <div class="sender-forms">
      <section class="card" aria-labelledby="change-heading">
        <h2 id="change-heading">Name, number and limits</h2>
        <form method="post" action={base} class="stack">
          <CsrfField actor={actor} />
          <SenderFields
            values={form.values}
            errors={form.errors}
            fromEnvironment={sender.isDefault ? sender : undefined}
          />
          <button type="submit" class="button primary">
            Save changes
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="sending-heading">
        <h2 id="sending-heading">Sending</h2>
        {sender.status === 'paused' ? (
          <>
            <p>Nothing is sent through it. Its campaigns’ messages wait until it is resumed.</p>
            <ActionButton
              actor={actor}
              action={`${base}/status`}
              label="Resume sending"
              variant="primary"
              hidden={{ status: 'active' }}
            />
          </>
        ) : (
          <>
            <p>
              Pausing stops every send through this number at once; its campaigns’ messages wait,
              and go out when it is resumed.
            </p>
            <ActionButton
              actor={actor}
              action={`${base}/status`}
              label="Pause sending"
              hidden={{ status: 'paused' }}
            />
          </>
        )}
      </section>
      {sender.isDefault || sender.provider === 'sandbox' ? null : (
        <section class="card" aria-labelledby="credentials-heading">
          <h2 id="credentials-heading">Replace the credentials</h2>
          <p>
            The new set replaces the stored one as a whole
            {sender.status === 'auth_failed' ? ', and sending resumes' : ''}. The stored ones are
            never shown.
          </p>
          <form method="post" action={`${base}/credentials`} class="stack" autocomplete="off">
            <CsrfField actor={actor} />
            <CredentialFields
              provider={sender.provider}
              values={form.credentials}
              errors={form.errors}
            />
            <button type="submit" class="button">
              Replace credentials
            </button>
          </form>
        </section>
      )}
      {sender.isDefault ? (
        <p class="muted">
          The default sender’s credentials, pace and limit come from the service’s environment
          (docs: Configuration in the README): change them there and restart.
        </p>
      ) : (
        <p>
          <a class="button danger" href={`${base}/delete`}>
            Delete this sender
          </a>
        </p>
      )}
    </div>
  );
}
