import type { Actor } from '../../access/actor';
import type { Conversation, ConversationMessage } from '../../conversations/schemas';
import { Page } from '../layout';
import { LoadMore } from '../ui/load-more';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';
import { Bubble } from './bubble';
import { threadPath } from './list-page';
import { ReplyBox } from './reply-box';
import { whyNoReply, windowLeft } from './window-words';

/**
 * What changes when the customer writes or our answer goes out: the page's live stream sends it
 * (key `conversation:<phone>`), and conversations.js brings the thread up to date when it moves.
 */
export const threadFingerprint = (conversation: Conversation | undefined) =>
  conversation
    ? `${conversation.lastInboundAt}|${conversation.unreadCount}|${conversation.open}|${conversation.optedOut}`
    : 'none';

/** The numbers whose window with the customer is open: `Brand DE and Default`. */
function openWith(conversation: Conversation): string {
  const names = conversation.windows.filter((w) => w.open).map((w) => w.senderName);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export type Thread = {
  phone: string;
  conversation?: Conversation;
  items: ConversationMessage[];
  nextCursor: string | null;
  /** The account has several sending numbers: the page names the one a window is open with. */
  severalNumbers: boolean;
};

/**
 * One customer's thread (GET /v1/conversations/{phone}/messages' function): their messages and
 * ours as bubbles, oldest first, then the reply box, open or saying why it is closed.
 */
export function ThreadPage(props: {
  actor: Actor;
  zone: string;
  thread: Thread;
  notice?: string;
  error?: string;
  body?: string;
}) {
  const { thread, zone } = props;
  const { conversation } = thread;
  const customer = conversation?.contactName ?? thread.phone;
  const closedWhy = whyNoReply(conversation, zone);
  return (
    <Page
      actor={props.actor}
      area="conversations"
      title={customer}
      scripts={['conversations.js']}
      subtitle={
        <>
          <a href="/conversations">All conversations</a>
          {conversation?.contactName ? <span> · {thread.phone}</span> : null}
        </>
      }
    >
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <div
        class="window-line"
        data-thread-part="window"
        data-live-src={`${threadPath(thread.phone)}/live`}
        data-thread-latest={threadFingerprint(conversation)}
      >
        {conversation?.optedOut ? (
          <StateBadge state="opted_out" />
        ) : conversation?.open ? (
          <StateBadge
            state="active"
            label={`Window open: ${windowLeft(conversation.windowExpiresAt)}`}
          />
        ) : (
          <StateBadge state="expired" label="Window closed" />
        )}
        {conversation?.open && thread.severalNumbers ? (
          <span class="muted"> With {openWith(conversation)}.</span>
        ) : null}
        {conversation ? (
          <span class="muted">
            {conversation.open ? ' Closes ' : ' Closed '}
            <Time at={conversation.windowExpiresAt} zone={zone} relative={false} />
          </span>
        ) : null}
        <span data-live="latest" hidden />
      </div>
      <h2 class="visually-hidden">Messages</h2>
      <div data-thread-part="messages" aria-live="polite">
        {thread.items.length === 0 ? (
          <p class="muted">No message has been exchanged with {customer} yet.</p>
        ) : (
          <ol class="thread">
            {thread.items.map((item) => (
              <Bubble item={item} customer={customer} zone={zone} />
            ))}
          </ol>
        )}
      </div>
      <LoadMore
        href={
          thread.nextCursor
            ? `${threadPath(thread.phone)}?cursor=${encodeURIComponent(thread.nextCursor)}`
            : null
        }
        label="Show later messages"
      />
      <ReplyBox
        actor={props.actor}
        phone={thread.phone}
        customer={customer}
        closedWhy={closedWhy}
        openWindows={conversation?.windows.filter((w) => w.open) ?? []}
        nameNumbers={thread.severalNumbers}
        error={props.error}
        body={props.body}
      />
    </Page>
  );
}
