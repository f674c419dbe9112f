import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { Sender } from '../../senders/schemas';
import { Page } from '../layout';
import { CsrfField, ErrorSummary } from '../ui/form';
import { formatNumber } from '../ui/format';
import { StateBadge } from '../ui/state';

/** A campaign that keeps a sender from going: not finished, it still sends through it. */
export type CampaignUsing = { id: string; name: string; status: string };

/** How many of the campaigns using a sender the page names. */
export const CAMPAIGNS_NAMED = 10;

/**
 * The confirmation of a sender's deletion (docs/console.md: dangerous actions ask, in words):
 * what goes, what stays, and the campaigns that must move to another sender first. The API's
 * 409s (the default sender, one in use) are said from what the page knows, never their ids.
 */
export function DeleteSenderPage(props: {
  c: Context;
  sender: Sender;
  using: CampaignUsing[];
  message?: string;
}) {
  const { c, sender, using } = props;
  const actor = actorOf(c);
  const back = `/settings/senders/${sender.id}`;
  return (
    <Page
      actor={actor}
      area="settings"
      title={`Delete ${sender.name}?`}
      subtitle={<a href={back}>Back to {sender.name}</a>}
    >
      <ErrorSummary errors={{}} message={props.message} />
      <div class="card">
        {sender.isDefault ? (
          <p>
            <strong>{sender.name}</strong> is the default sender: it comes from the service’s
            environment and cannot be deleted.
          </p>
        ) : (
          <>
            <p>
              The sender <strong>{sender.name}</strong> will be removed: no campaign can send
              through it any more.
            </p>
            <ul>
              <li>Its credentials are wiped at once.</li>
              <li>
                Finished campaigns keep their figures and messages, and still name it as their
                sender.
              </li>
              <li>Its webhook address stops taking delivery reports and replies.</li>
            </ul>
          </>
        )}
        {using.length > 0 ? <CampaignsUsing using={using} /> : null}
        {sender.isDefault ? (
          <p>
            <a href={back}>Back to the sender</a>
          </p>
        ) : (
          <form method="post" action={`${back}/delete`} class="actions">
            <CsrfField actor={actor} />
            <button type="submit" class="button danger">
              Delete the sender
            </button>
            <a href={back}>Keep it</a>
          </form>
        )}
      </div>
    </Page>
  );
}

function CampaignsUsing(props: { using: CampaignUsing[] }) {
  const { using } = props;
  const more = using.length > CAMPAIGNS_NAMED;
  return (
    <div class="notice warn">
      <p>
        {more
          ? `More than ${formatNumber(CAMPAIGNS_NAMED)} campaigns that are not finished send through it`
          : `${formatNumber(using.length)} ${using.length === 1 ? 'campaign that is not finished sends' : 'campaigns that are not finished send'} through it`}
        . Before deleting this one, move each draft or scheduled one to another sender (Change the
        campaign); a running or paused one must finish or be cancelled.
      </p>
      <ul>
        {using.slice(0, CAMPAIGNS_NAMED).map((campaign) => (
          <li>
            <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>{' '}
            <StateBadge state={campaign.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}
