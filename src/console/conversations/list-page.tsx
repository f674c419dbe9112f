import type { Actor } from '../../access/actor';
import type { Conversation } from '../../conversations/schemas';
import { EmptyState, Page } from '../layout';
import { formatNumber } from '../ui/format';
import { LoadMore } from '../ui/load-more';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { windowLeft } from './window-words';

export const threadPath = (phone: string) => `/conversations/${encodeURIComponent(phone)}`;

/** At most this much of the customer's last message in the list; the thread has all of it. */
const PREVIEW_CHARS = 120;

const preview = (text: string | null) =>
  text === null
    ? null
    : text.length > PREVIEW_CHARS
      ? `${text.slice(0, PREVIEW_CHARS - 1)}…`
      : text;

/**
 * The conversations (GET /v1/conversations' function): the open windows first, with the time
 * they have left, the contact's name, the customer's last text and how many of their messages
 * are unanswered; `All` adds the closed ones. A page at a time ("Load more").
 */
export function ConversationsPage(props: {
  actor: Actor;
  zone: string;
  all: boolean;
  rows: Conversation[];
  nextCursor: string | null;
}) {
  const { rows, zone } = props;
  const more = props.nextCursor
    ? `/conversations?${new URLSearchParams({ ...(props.all ? { show: 'all' } : {}), cursor: props.nextCursor }).toString()}`
    : null;
  return (
    <Page
      actor={props.actor}
      area="conversations"
      title="Conversations"
      subtitle="Customers who wrote to you, newest window first"
    >
      <nav aria-label="Which conversations" class="filters">
        <a href="/conversations" aria-current={props.all ? undefined : 'page'}>
          Open now
        </a>
        <a href="/conversations?show=all" aria-current={props.all ? 'page' : undefined}>
          All, closed ones too
        </a>
      </nav>
      {rows.length === 0 ? (
        <EmptyState
          title={props.all ? 'No customer has written yet' : 'No open conversations'}
          action={
            <a class="button" href="/campaigns">
              Go to campaigns
            </a>
          }
        >
          When a customer replies to a campaign, the conversation appears here for 24 hours.
        </EmptyState>
      ) : (
        <DataTable
          caption={`${props.all ? 'Every conversation' : 'Open conversations'}, newest window first`}
          class="conversations"
          columns={[
            'Customer',
            'Their last message',
            { heading: 'Unanswered', numeric: true },
            'Window',
          ]}
        >
          {rows.map((row) => (
            <tr>
              <th scope="row">
                <a class="row-link" href={threadPath(row.phone)}>
                  {row.contactName ?? row.phone}
                </a>
                {row.contactName ? <span class="muted phone">{row.phone}</span> : null}
              </th>
              <td class="last-text">
                {preview(row.lastInboundText) ?? (
                  <span class="muted">A photo, voice message or file</span>
                )}
                <span class="muted when">
                  <Time at={row.lastInboundAt} zone={zone} />
                </span>
              </td>
              <td class="num" data-label="Unanswered">
                {row.unreadCount > 0 ? (
                  <span class="unread">{formatNumber(row.unreadCount)}</span>
                ) : (
                  <span class="muted">0</span>
                )}
              </td>
              <td>
                {row.optedOut ? (
                  <StateBadge state="opted_out" />
                ) : row.open ? (
                  <StateBadge state="active" label={windowLeft(row.windowExpiresAt)} />
                ) : (
                  <StateBadge state="expired" label={windowLeft(row.windowExpiresAt)} />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore href={more} />
    </Page>
  );
}
