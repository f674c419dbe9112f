import type { SenderProvider } from '../../senders/schemas';
import { type FieldErrors, InputField } from '../ui/form';

/**
 * One credential of a provider as the form asks for it. The bounds are the API's
 * (src/senders/schemas.ts); a secret is a password input that is never filled back in
 * (docs/design.md, rule 32: credentials are write-only).
 */
type CredentialField = {
  key: string;
  label: string;
  hint: string;
  secret: boolean;
  optional?: boolean;
  maxlength: number;
  numeric?: boolean;
};

export const credentialFields: Record<Exclude<SenderProvider, 'sandbox'>, CredentialField[]> = {
  'chat-api': [
    {
      key: 'url',
      label: 'Gateway URL',
      hint: 'The instance’s address, such as https://api.chat-api.com/instance777.',
      secret: false,
      maxlength: 2048,
    },
    {
      key: 'token',
      label: 'Token',
      hint: 'The instance’s API token.',
      secret: true,
      maxlength: 1024,
    },
    {
      key: 'webhookSecret',
      label: 'Webhook secret (optional)',
      hint: 'A secret of your choice. It goes at the end of this sender’s webhook URL (?secret=…), so that only your gateway can post delivery reports and replies to it.',
      secret: true,
      optional: true,
      maxlength: 256,
    },
  ],
  'cloud-api': [
    {
      key: 'phoneNumberId',
      label: 'Phone number ID',
      hint: 'Digits, from WhatsApp Manager or your app’s API Setup page: the ID of the number, not the number itself.',
      secret: false,
      maxlength: 64,
      numeric: true,
    },
    {
      key: 'businessAccountId',
      label: 'WhatsApp Business Account ID',
      hint: 'Digits, from the same page: the account the number belongs to (its templates are read from it).',
      secret: false,
      maxlength: 64,
      numeric: true,
    },
    {
      key: 'accessToken',
      label: 'Access token',
      hint: 'A system user’s permanent token with the whatsapp_business_messaging permission.',
      secret: true,
      maxlength: 4096,
    },
    {
      key: 'appSecret',
      label: 'App secret',
      hint: 'Your Meta app’s secret (App settings, Basic): it proves that webhook posts come from Meta.',
      secret: true,
      maxlength: 256,
    },
    {
      key: 'verifyToken',
      label: 'Verify token',
      hint: 'A secret of your choice: type the same in the Verify token box of your app’s webhook setting.',
      secret: true,
      maxlength: 256,
    },
  ],
};

/** The labels of the credentials' fields by their path (`credentials.token`), for a summary. */
export const credentialLabels: Record<string, string> = Object.fromEntries(
  Object.values(credentialFields)
    .flat()
    .map((field) => [`credentials.${field.key}`, field.label.replace(/ \(optional\)$/, '')]),
);

/**
 * The credentials a form posted, as the API takes them: every field of the provider, trimmed
 * when it is no secret; an empty optional one left out. Undefined for the sandbox.
 */
export function credentialsFromForm(
  provider: SenderProvider,
  text: (name: string) => string,
): Record<string, string> | undefined {
  if (provider === 'sandbox') return undefined;
  const entries = credentialFields[provider].flatMap((field) => {
    const raw = text(`credentials.${field.key}`);
    const value = field.secret ? raw : raw.trim();
    return value === '' && field.optional ? [] : [[field.key, value] as const];
  });
  return Object.fromEntries(entries);
}

/** What of the posted credentials may be shown again on the form: never a secret. */
export function credentialsShownBack(
  provider: SenderProvider,
  text: (name: string) => string,
): Record<string, string> {
  if (provider === 'sandbox') return {};
  return Object.fromEntries(
    credentialFields[provider]
      .filter((field) => !field.secret)
      .map((field) => [`credentials.${field.key}`, text(`credentials.${field.key}`)]),
  );
}

/**
 * A provider's credential fields. The values of what is not secret come back after an error
 * (credentialsShownBack); secrets never do, and say so when there was an error to type them
 * again for.
 */
export function CredentialFields(props: {
  provider: SenderProvider;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  if (props.provider === 'sandbox') return null;
  const retyping = Object.keys(props.errors).length > 0;
  return (
    <>
      {credentialFields[props.provider].map((field) => {
        const name = `credentials.${field.key}`;
        const hint =
          field.secret && retyping
            ? `${field.hint} Type it again: secrets are never shown back.`
            : field.hint;
        return (
          <InputField
            name={name}
            label={field.label}
            hint={hint}
            error={props.errors[name]}
            input={
              field.secret
                ? {
                    type: 'password',
                    autocomplete: 'new-password',
                    required: !field.optional,
                    maxlength: field.maxlength,
                  }
                : {
                    type: field.numeric ? 'text' : 'url',
                    inputmode: field.numeric ? 'numeric' : undefined,
                    autocomplete: 'off',
                    spellcheck: false,
                    required: !field.optional,
                    maxlength: field.maxlength,
                    value: props.values[name] ?? '',
                  }
            }
          />
        );
      })}
    </>
  );
}
