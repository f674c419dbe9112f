import type { Config } from '../config';
import type { Logger } from '../logger';
import { ChatApiProvider } from './chat-api';
import { CloudApiProvider } from './cloud-api';
import { type SandboxOptions, SandboxProvider } from './sandbox';
import type { Provider } from './types';

export type { Provider } from './types';

/**
 * The chat-api client when CHAT_API_URL is set, else Meta's Cloud API when its token and
 * number are, else the sandbox.
 */
export function createProvider(
  config: Config,
  logger: Logger,
  sandbox: SandboxOptions = {},
): Provider {
  if (config.CHAT_API_URL && config.CHAT_API_TOKEN) {
    return new ChatApiProvider(
      config.CHAT_API_URL,
      config.CHAT_API_TOKEN,
      config.PROVIDER_TIMEOUT_SECONDS * 1000,
    );
  }
  if (config.WHATSAPP_ACCESS_TOKEN && config.WHATSAPP_PHONE_NUMBER_ID) {
    return new CloudApiProvider({
      graphApiUrl: config.GRAPH_API_URL,
      graphApiVersion: config.GRAPH_API_VERSION,
      accessToken: config.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
      businessAccountId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
      timeoutMs: config.PROVIDER_TIMEOUT_SECONDS * 1000,
    });
  }
  return new SandboxProvider(logger.child({ provider: 'sandbox' }), sandbox);
}
