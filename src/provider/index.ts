import type { Config } from '../config';
import type { Logger } from '../logger';
import { ChatApiProvider } from './chat-api';
import { type SandboxOptions, SandboxProvider } from './sandbox';
import type { Provider } from './types';

export type { Provider } from './types';

/** The chat-api client when CHAT_API_URL is set, else the sandbox. */
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
  return new SandboxProvider(logger.child({ provider: 'sandbox' }), sandbox);
}
