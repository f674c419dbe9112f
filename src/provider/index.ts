import type { Config } from '../config';
import type { Logger } from '../logger';
import { environmentCredentials } from '../senders/credentials';
import type { SenderCredentials } from '../senders/schemas';
import { ChatApiProvider } from './chat-api';
import { CloudApiProvider } from './cloud-api';
import { type SandboxOptions, SandboxProvider } from './sandbox';
import type { Provider } from './types';

export type { Provider } from './types';

/** The client of one sender's credentials (docs/design.md, rule 31). */
export function providerFor(
  credentials: SenderCredentials,
  config: Config,
  logger: Logger,
  sandbox: SandboxOptions = {},
): Provider {
  const timeoutMs = config.PROVIDER_TIMEOUT_SECONDS * 1000;
  switch (credentials.provider) {
    case 'chat-api':
      return new ChatApiProvider(
        credentials.credentials.url,
        credentials.credentials.token,
        timeoutMs,
      );
    case 'cloud-api':
      return new CloudApiProvider({
        graphApiUrl: config.GRAPH_API_URL,
        graphApiVersion: config.GRAPH_API_VERSION,
        accessToken: credentials.credentials.accessToken,
        phoneNumberId: credentials.credentials.phoneNumberId,
        businessAccountId: credentials.credentials.businessAccountId,
        timeoutMs,
      });
    case 'sandbox':
      return new SandboxProvider(logger.child({ provider: 'sandbox' }), sandbox);
  }
}

/**
 * The default sender's client, from the environment: chat-api when CHAT_API_URL is set, Meta's
 * Cloud API with the WHATSAPP_ variables, else the sandbox.
 */
export function createProvider(
  config: Config,
  logger: Logger,
  sandbox: SandboxOptions = {},
): Provider {
  return providerFor(environmentCredentials(config), config, logger, sandbox);
}
