import type { Sender, SenderProvider } from '../../senders/schemas';
import { formatNumber } from '../ui/format';

/** A provider as an admin knows it. */
export const providerWords: Record<SenderProvider, string> = {
  'chat-api': 'chat-api gateway',
  'cloud-api': 'Meta’s Cloud API',
  sandbox: 'Sandbox: sends nothing',
};

/** What choosing each provider means, on the first step of adding a sender. */
export const providerHints: Record<SenderProvider, string> = {
  'chat-api':
    'A chat-api.com compatible gateway: its instance URL and token, and a webhook secret of your choice.',
  'cloud-api':
    'A number of your WhatsApp Business account at Meta: its ids, a permanent access token, your app’s secret and a verify token.',
  sandbox: 'For trying the service out: messages are accepted and never leave this machine.',
};

/** The status's word on its badge; `auth_failed` is a refusal of the credentials. */
export const statusWords: Record<Sender['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  auth_failed: 'Credentials refused',
};

/** The number people know, and Meta's id of it when there is one. */
export const numberWords = (sender: Pick<Sender, 'displayPhoneNumber' | 'phoneNumberId'>) =>
  sender.displayPhoneNumber ?? (sender.phoneNumberId ? `ID ${sender.phoneNumberId}` : '–');

export const rateWords = (rate: number) => `${formatNumber(rate)} a second`;

export const limitWords = (limit: number | null) =>
  limit === null ? 'No limit' : `${formatNumber(limit)} people a day`;

/**
 * What to do about a sender that does not send, in words: a pause is lifted by resuming, a
 * refusal of the credentials by replacing them (docs/design.md, rule 31).
 */
export function statusAdvice(sender: Pick<Sender, 'status' | 'statusReason' | 'isDefault'>) {
  const reason = sender.statusReason ? ` ${sender.statusReason.replace(/\.?$/, '.')}` : '';
  if (sender.status === 'paused')
    return `Paused: nothing is sent through it until it is resumed.${reason}`;
  if (sender.status === 'auth_failed') {
    const fix = sender.isDefault
      ? 'Correct the token in the service’s environment and restart it.'
      : 'Replace its credentials (a new token) on its page: sending resumes once they are saved.';
    return `Its credentials were refused, so nothing is sent through it.${reason} ${fix}`;
  }
  return undefined;
}

/** A sender as a choice of the campaign form: its name, its number, and its state when it waits. */
export function senderOption(sender: Sender): string {
  const number = sender.displayPhoneNumber ?? sender.phoneNumberId;
  const parts = [
    sender.name,
    number ? ` (${number})` : '',
    sender.isDefault ? ', the default' : '',
    sender.status === 'active' ? '' : `: ${statusWords[sender.status].toLowerCase()}`,
  ];
  return parts.join('');
}
