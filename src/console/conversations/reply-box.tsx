import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Conversation } from '../../conversations/schemas';
import { CsrfField, SelectField, TextareaField } from '../ui/form';
import { windowLeft } from './window-words';

/** The most a free-form message holds (the API's SendMessage). */
const MAX_BODY = 4096;

export const replyPath = (phone: string) => `/conversations/${encodeURIComponent(phone)}/reply`;

/**
 * The reply box: a free-form message, sent through POST /v1/messages, which WhatsApp takes only
 * while the window is open (docs/design.md, rule 16). Closed, the box stays on the page,
 * disabled, and says why in words; an analyst, who may not send, gets no box at all. A window
 * belongs to the number the customer wrote to (rule 34): the reply goes from that number, and
 * when the customer's windows are open with several, the box asks which.
 */
export function ReplyBox(props: {
  actor: Actor;
  phone: string;
  customer: string;
  /** Why nothing can be sent now; null while the window is open. */
  closedWhy: string | null;
  /** The windows open now, the latest-closing first: the numbers the reply may go from. */
  openWindows: Conversation['windows'];
  /** Whether to say which number the reply goes from (an account of several). */
  nameNumbers: boolean;
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
  const [first, ...others] = props.openWindows;
  const limit = `up to ${MAX_BODY.toLocaleString('en-GB')} characters.`;
  const hint =
    closed || !first
      ? props.closedWhy
      : others.length > 0
        ? `Sent from the number chosen above, as a WhatsApp message ahead of campaign traffic; ${limit}`
        : `Sent${props.nameNumbers ? ` from ${first.senderName}` : ''} as a WhatsApp message ahead of campaign traffic. The window ${windowLeft(first.windowExpiresAt)}; ${limit}`;
  return (
    <form
      method="post"
      action={replyPath(props.phone)}
      class={closed ? 'reply-box card closed' : 'reply-box card'}
    >
      <CsrfField actor={props.actor} />
      {!closed && first && others.length > 0 ? (
        <SelectField
          name="senderId"
          label="Send from"
          hint="The customer wrote to each of these numbers in the last 24 hours."
        >
          {props.openWindows.map((w) => (
            <option value={w.senderId}>
              {w.senderName} (window {windowLeft(w.windowExpiresAt)})
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextareaField
        name="body"
        label={`Reply to ${props.customer}`}
        hint={hint ?? undefined}
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
