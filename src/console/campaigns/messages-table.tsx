import type { Run } from '../../campaigns/schemas';
import { messageStatus } from '../../db/schema';
import type { MessagePage } from '../../stats/schemas';
import { fieldId } from '../ui/form';
import { formatDateTime } from '../ui/format';
import { LoadMore } from '../ui/load-more';
import { StateBadge, stateLabel } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { RUNS_SHOWN } from './campaign-details';
import type { MessageStatus } from './load-campaign';

const kinds: Record<string, string> = {
  template: 'Template',
  followup: 'Follow-up',
  manual: 'Sent by hand',
};

/**
 * The campaign's messages of one run (GET /v1/campaigns/{id}/messages' function, `?run=`; the
 * latest unless another is chosen): filters by run and by state, a page
 * of rows, "Load more" with the API's cursor (campaigns.js appends the next page in place), and
 * the CSV export, which is the API's own (`?format=csv`, the session cookie signs the download).
 */
export function MessagesSection(props: {
  campaignId: string;
  page: MessagePage;
  /** The campaign's runs, latest first, and the one whose messages are shown. */
  runs: Run[];
  run: string | undefined;
  status: MessageStatus | undefined;
  /** The table starts after an earlier page (no JavaScript, "Load more" opened the next). */
  continued: boolean;
  zone: string;
}) {
  const { campaignId, page, status } = props;
  const base = `/campaigns/${campaignId}`;
  const filter = new URLSearchParams({
    ...(props.run && props.runs.length > 1 ? { run: props.run } : {}),
    ...(status ? { status } : {}),
  }).toString();
  const exportUrl = `/v1/campaigns/${campaignId}/messages?format=csv${props.run ? `&run=${props.run}` : ''}${status ? `&status=${status}` : ''}`;
  const choosable = props.runs.slice(0, RUNS_SHOWN);
  if (props.run && !choosable.some((r) => r.id === props.run)) {
    const chosen = props.runs.find((r) => r.id === props.run);
    if (chosen) choosable.push(chosen);
  }
  if (page.data.length === 0 && !status && !props.continued && props.runs.length <= 1)
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
          {choosable.length > 1 ? (
            <div class="field">
              <label for={fieldId('run')}>Run</label>
              <select id={fieldId('run')} name="run" class="narrow">
                {choosable.map((r, i) => (
                  <option value={r.id} selected={r.id === props.run}>
                    {`${i === 0 ? 'Latest: ' : ''}due ${formatDateTime(r.scheduledFor, props.zone)}`}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
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
          {`Download ${status ? `${stateLabel(status).toLowerCase()} messages` : 'all messages'}${props.runs.length > 1 ? ' of this run' : ''} (CSV)`}
        </a>
      </div>
      {props.continued ? (
        <p>
          <a href={`${base}${filter ? `?${filter}` : ''}#messages`}>Back to the first messages</a>
        </p>
      ) : null}
      {page.data.length === 0 ? (
        <p class="muted">
          {props.continued
            ? 'No more messages.'
            : `No ${status ? `${stateLabel(status).toLowerCase()} ` : ''}messages${props.runs.length > 1 ? ' in this run' : ''}.`}
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
                {message.notBefore ? (
                  <WaitsUntil at={message.notBefore} zone={message.timeZone ?? props.zone} />
                ) : (
                  <Time at={message.sentAt} zone={props.zone} relative={false} />
                )}
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

/**
 * A pending message held for later (its recipient's send window, a local-time schedule, a
 * retry's wait): `waits until Tue 1 Dec, 08:00 (Asia/Tokyo)`, in its recipient's zone, which is
 * what the window is read in.
 */
function WaitsUntil(props: { at: string; zone: string }) {
  return (
    <span class="muted">
      {'waits until '}
      <time datetime={props.at} title={props.at}>
        {formatDateTime(props.at, props.zone)}
      </time>
      {` (${props.zone})`}
    </span>
  );
}
