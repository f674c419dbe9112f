import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { SenderProvider } from '../../senders/schemas';
import { Page } from '../layout';
import { SettingsNav } from '../settings/settings-nav';
import { CsrfField, ErrorSummary, type FieldErrors, fieldId, labelledErrors } from '../ui/form';
import { CredentialFields, credentialLabels } from './credential-fields';
import { SenderFields, senderLabels } from './sender-fields';
import type { SenderValues } from './sender-values';
import { providerHints, providerWords } from './words';

/** The provider named by `?provider=`, when it is one. */
export function providerOf(value: string | undefined): SenderProvider | undefined {
  const parsed = SenderProvider.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Adding a sender, first step: the provider, since each asks for its own credentials. A plain
 * GET form, so that the next step is a page of its own with or without JavaScript.
 */
export function ChooseProviderPage(props: { c: Context; error?: string }) {
  const actor = actorOf(props.c);
  return (
    <Page
      actor={actor}
      area="settings"
      title="Add a sender"
      subtitle={<a href="/settings/senders">Back to senders</a>}
    >
      <SettingsNav current="/settings/senders" />
      <ErrorSummary errors={props.error ? { provider: props.error } : {}} />
      <form method="get" action="/settings/senders/new" class="stack provider-choice">
        <fieldset class={props.error ? 'field field-error' : 'field'} id={fieldId('provider')}>
          <legend>Which provider does this number send through?</legend>
          <div class="choices">
            {SenderProvider.options.map((provider) => (
              <label>
                <input type="radio" name="provider" value={provider} required />
                <span>
                  <strong>{providerWords[provider]}</strong>
                  <span class="hint">{providerHints[provider]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" class="button primary">
          Continue
        </button>
      </form>
    </Page>
  );
}

/** Adding a sender, second step: its own fields and its provider's credentials. */
export function NewSenderPage(props: {
  c: Context;
  provider: SenderProvider;
  values: SenderValues;
  credentials: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}) {
  const { c, provider, errors } = props;
  const actor = actorOf(c);
  return (
    <Page
      actor={actor}
      area="settings"
      title={`Add a sender: ${providerWords[provider]}`}
      subtitle={<a href="/settings/senders/new">Choose another provider</a>}
    >
      <SettingsNav current="/settings/senders" />
      <ErrorSummary
        errors={labelledErrors(errors, { ...senderLabels, ...credentialLabels })}
        message={props.message}
      />
      <form method="post" action="/settings/senders/new" class="stack" autocomplete="off">
        <CsrfField actor={actor} />
        <input type="hidden" name="provider" value={provider} />
        <SenderFields values={props.values} errors={errors} />
        {provider === 'sandbox' ? (
          <p class="notice">The sandbox needs no credentials: it sends nothing.</p>
        ) : (
          <fieldset class="field">
            <legend>Credentials</legend>
            <p class="hint">
              Kept encrypted, and never shown again, not even to admins: to change one, replace them
              all on the sender’s page.
            </p>
            <CredentialFields provider={provider} values={props.credentials} errors={errors} />
          </fieldset>
        )}
        <div class="actions">
          <button type="submit" class="button primary">
            Add sender
          </button>
          <a href="/settings/senders">Cancel</a>
        </div>
      </form>
    </Page>
  );
}
