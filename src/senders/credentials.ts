import type { Config } from '../config';
import type { senders } from '../db/schema';
import { AppError, type FieldError } from '../errors';
import type { Secrets } from '../secrets';
import { CredentialsUnreadable } from './credentials-cipher';
import {
  ChatApiCredentials,
  CloudApiCredentials,
  type SenderCredentials,
  type SenderProvider,
} from './schemas';

/**
 * A provider's credentials checked against its schema: a 422 naming each `credentials.<field>`
 * (a missing or unknown one included). The sandbox takes none.
 */
export function parseCredentials(
  provider: SenderProvider,
  value: Record<string, unknown> | undefined,
): SenderCredentials {
  if (provider === 'sandbox') {
    if (value !== undefined)
      throw invalid([{ path: 'credentials', message: 'the sandbox takes no credentials' }]);
    return { provider, credentials: null };
  }
  if (value === undefined)
    throw invalid([{ path: 'credentials', message: `a ${provider} sender needs its credentials` }]);
  const schema = provider === 'chat-api' ? ChatApiCredentials : CloudApiCredentials;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.flatMap((issue) => {
        // an unknown field is named by its own path, not its parent's
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
        return keys.map((key) => ({
          path: ['credentials', ...issue.path, ...(key === undefined ? [] : [key])].join('.'),
          message: key === undefined ? issue.message : 'is not a credential of this provider',
        }));
      }),
    );
  }
  return provider === 'chat-api'
    ? { provider, credentials: parsed.data as ChatApiCredentials }
    : { provider, credentials: parsed.data as CloudApiCredentials };
}

function invalid(errors: FieldError[]): AppError {
  return new AppError(
    'validation_failed',
    errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  );
}

/** The default sender's credentials: the environment's (docs/design.md, rule 31). */
export function environmentCredentials(config: Config): SenderCredentials {
  if (config.WHATSAPP_ACCESS_TOKEN) {
    return {
      provider: 'cloud-api',
      credentials: {
        accessToken: config.WHATSAPP_ACCESS_TOKEN,
        phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID ?? '',
        businessAccountId: config.WHATSAPP_BUSINESS_ACCOUNT_ID ?? '',
        appSecret: config.WHATSAPP_APP_SECRET ?? '',
        verifyToken: config.WHATSAPP_VERIFY_TOKEN ?? '',
      },
    };
  }
  if (config.CHAT_API_URL && config.CHAT_API_TOKEN) {
    return {
      provider: 'chat-api',
      credentials: { url: config.CHAT_API_URL, token: config.CHAT_API_TOKEN },
    };
  }
  return { provider: 'sandbox', credentials: null };
}

type StoredSender = Pick<
  typeof senders.$inferSelect,
  'id' | 'provider' | 'isDefault' | 'credentials'
>;

/**
 * What a sender sends with: the default sender's from the environment, any other's opened from
 * its row. Throws CredentialsUnreadable when the row's do not open (another SECRETS_KEY, an
 * altered blob, or none stored); the sender is then unusable, never the service.
 */
export function senderCredentials(
  sender: StoredSender,
  context: { config: Config; secrets: Secrets },
): SenderCredentials {
  if (sender.isDefault) return environmentCredentials(context.config);
  if (sender.provider === 'sandbox') return { provider: 'sandbox', credentials: null };
  const key = context.secrets.credentialsKey;
  if (!key || !sender.credentials) throw new CredentialsUnreadable('wrong_key');
  const opened = key.open(sender.id, sender.credentials);
  const parsed = (
    sender.provider === 'chat-api' ? ChatApiCredentials : CloudApiCredentials
  ).safeParse(opened);
  if (!parsed.success) throw new CredentialsUnreadable('damaged');
  return sender.provider === 'chat-api'
    ? { provider: 'chat-api', credentials: parsed.data as ChatApiCredentials }
    : { provider: 'cloud-api', credentials: parsed.data as CloudApiCredentials };
}

/** A sealed set of credentials for the row of `senderId`; a 409 when there is no key to seal with. */
export function sealCredentials(
  secrets: Secrets,
  senderId: string,
  parsed: SenderCredentials,
): Buffer | null {
  if (parsed.credentials === null) return null;
  const key = secrets.credentialsKey;
  if (!key) {
    throw new AppError(
      'conflict',
      'Credentials cannot be stored without SECRETS_KEY: set it (a random secret of at least 32 characters) on every process and restart.',
    );
  }
  return key.seal(senderId, parsed.credentials);
}
