import type { ConversationMessage } from '../../conversations/schemas';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';

const kindWords: Record<ConversationMessage['kind'], string> = {
  inbound: 'Customer',
  template: 'Campaign template',
  followup: 'Follow-up',
  manual: 'Message',
};

/** A phone's messages both ways, oldest first (the conversations feature's thread). */
export function MessageHistory(props: { messages: ConversationMessage[]; zone: string }) {
  return (
    <ol class="thread" aria-label="Messages, oldest first">
      {props.messages.map((message) => (
        <li class={`bubble ${message.direction}`}>
          <span class="meta">
            {kindWords[message.kind]}
            {message.templateName ? ` ${message.templateName}` : ''} ·{' '}
            <Time at={message.at} zone={props.zone} />
          </span>
          {message.text ? (
            <p class="bubble-text">{message.text}</p>
          ) : message.parameters && message.parameters.length > 0 ? (
            <p class="bubble-text">With: {message.parameters.join(' · ')}</p>
          ) : (
            <p class="bubble-text muted">No text (media)</p>
          )}
          {message.status ? <StateBadge state={message.status} /> : null}
          {message.error ? <span class="meta">{message.error}</span> : null}
        </li>
      ))}
    </ol>
  );
}
