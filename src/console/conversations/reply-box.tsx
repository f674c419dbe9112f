import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import { CsrfField, TextareaField } from '../ui/form';

/** The most a free-form message holds (the API's SendMessage). */
const MAX_BODY = 4096;

export const replyPath = (phone: string) => `/conversations/${encodeURIComponent(phone)}/reply`;

/**
 * The reply box: a free-form message, sent through POST /v1/messages, which WhatsApp takes only
 * while the window is open (docs/design.md, rule 16). Closed, the box stays on the page,
 * disabled, and says why in words; an analyst, who may not send, gets no box at all.
 */
export function ReplyBox(props: {
  actor: Actor;
  phone: string;
  customer: string;
  /** Why nothing can be sent now; null while the window is open. */
  closedWhy: string | null;
  /** How long the window has left: `closes in 3 h`. */
  left?: string;
  /** The API's refusal of the last attempt, in words. */
  error?: string;
  body?: string;
}) {
  if (!can(props.actor, 'write'))
    return (
      <p class="muted reply-readonly">
        You can read conversations; replying needs a marketer's or an admin's account.
      </p>
    );
  const closed = props.closedWhy !== null;
  const hint = closed
    ? props.closedWhy
    : `Sent as a WhatsApp message ahead of campaign traffic. The window ${props.left ?? 'is open'}; up to ${MAX_BODY.toLocaleString('en-GB')} characters.`;
  return (
    <form
      method="post"
      action={replyPath(props.phone)}
      class={closed ? 'reply-box card closed' : 'reply-box card'}
    >
      <CsrfField actor={props.actor} />
      <TextareaField
        name="body"
        label={`Reply to ${props.customer}`}
        hint={hint}
        error={props.error}
        value={props.body ?? ''}
        textarea={{ rows: 3, maxlength: MAX_BODY, required: true, disabled: closed }}
      />
      <button type="submit" class="button primary" disabled={closed}>
        Send reply
      </button>
    </form>
  );
}
