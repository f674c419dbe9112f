import type { ConversationMessage } from '../../conversations/schemas';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';

/** What a message of ours is, in the thread's words. */
function kindWords(item: ConversationMessage): string {
  if (item.kind === 'template') return `Template ${item.templateName ?? ''}`.trim();
  if (item.kind === 'followup') return 'Campaign follow-up';
  return item.status === null ? 'Typed in the WhatsApp app' : 'Your message';
}

/**
 * One message of a thread as a bubble: the customer's on the left, ours on the right with what
 * it was (a template and its parameters, a follow-up, a free-form message) and its state.
 */
export function Bubble(props: { item: ConversationMessage; customer: string; zone: string }) {
  const { item } = props;
  const inbound = item.direction === 'in';
  const text = item.kind === 'template' ? (item.parameters ?? []).join(' · ') || null : item.text;
  return (
    <li class={`bubble ${inbound ? 'in' : 'out'}`}>
      <span class="meta">
        <span class="who">{inbound ? props.customer : kindWords(item)}</span>{' '}
        <Time at={item.at} zone={props.zone} relative={false} />
      </span>
      {item.kind === 'template' && !text ? null : text ? (
        <p class="text">
          {item.kind === 'template' ? <span class="visually-hidden">Its parameters: </span> : null}
          {text}
        </p>
      ) : (
        <p class="text muted">
          {inbound ? 'A photo, voice message or file: open WhatsApp to see it.' : 'No text'}
        </p>
      )}
      {item.status ? (
        <span class="state">
          <StateBadge state={item.status} />
          {item.error ? <span class="muted"> {item.error}</span> : null}
        </span>
      ) : null}
    </li>
  );
}
