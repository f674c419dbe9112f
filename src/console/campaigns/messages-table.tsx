import { messageStatus } from '../../db/schema';
import type { MessagePage } from '../../stats/schemas';
import { fieldId } from '../ui/form';
import { LoadMore } from '../ui/load-more';
import { StateBadge, stateLabel } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import type { MessageStatus } from './load-campaign';

const kinds: Record<string, string> = {
  template: 'Template',
  followup: 'Follow-up',
  manual: 'Sent by hand',
};

/**
 * The campaign's messages (GET /v1/campaigns/{id}/messages' function): a filter by state, a page
 * of rows, "Load more" with the API's cursor (campaigns.js appends the next page in place), and
 * the CSV export, which is the API's own (`?format=csv`, the session cookie signs the download).
 */
export function MessagesSection(props: {
  campaignId: string;
  page: MessagePage;
  status: MessageStatus | undefined;
  /** The table starts after an earlier page (no JavaScript, "Load more" opened the next). */
  continued: boolean;
  zone: string;
}) {
  const { campaignId, page, status } = props;
  const base = `/campaigns/${campaignId}`;
  const filter = status ? `status=${status}` : '';
  const exportUrl = `/v1/campaigns/${campaignId}/messages?format=csv${filter ? `&${filter}` : ''}`;
  if (page.data.length === 0 && !status && !props.continued)
    return (
      <section aria-labelledby="messages-title" id="messages">
        <h2 id="messages-title">Messages</h2>
        <p class="muted">No messages yet: they appear when a run starts.</p>
      </section>
    );
  return (
    <section aria-labelledby="messages-title" id="messages">
      <h2 id="messages-title">Messages</h2>
      <div class="messages-tools">
        <form method="get" action={`${base}#messages`} class="filters">
          <div class="field">
            <label for={fieldId('status')}>State</label>
            <select id={fieldId('status')} name="status" class="narrow">
              <option value="">Every state</option>
              {messageStatus.enumValues.map((value) => (
                <option value={value} selected={value === status}>
                  {stateLabel(value)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            Show messages
          </button>
        </form>
        <a class="button" href={exportUrl} download>
          {status
            ? `Download ${stateLabel(status).toLowerCase()} messages (CSV)`
            : 'Download all messages (CSV)'}
        </a>
      </div>
      {props.continued ? (
        <p>
          <a href={`${base}${filter ? `?${filter}` : ''}#messages`}>Back to the first messages</a>
        </p>
      ) : null}
      {page.data.length === 0 ? (
        <p class="muted">
          {status ? `No ${stateLabel(status).toLowerCase()} messages.` : 'No more messages.'}
        </p>
      ) : (
        <DataTable
          caption="Messages of this campaign"
          class="messages-table"
          bodyId="message-rows"
          columns={['Phone', 'Message', 'State', 'Sent', 'Replied', 'Why']}
        >
          {page.data.map((message) => (
            <tr>
              <td class="mono">{message.phone}</td>
              <td>{kinds[message.kind] ?? message.kind}</td>
              <td>
                <StateBadge state={message.status} />
              </td>
              <td>
                <Time at={message.sentAt} zone={props.zone} relative={false} />
              </td>
              <td>
                <Time at={message.repliedAt} zone={props.zone} relative={false} />
              </td>
              <td>{message.error ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore
        rows="message-rows"
        label="Load more messages"
        href={
          page.nextCursor
            ? `${base}?${filter ? `${filter}&` : ''}cursor=${encodeURIComponent(page.nextCursor)}#messages`
            : undefined
        }
      />
    </section>
  );
}
