import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { List } from '../../contacts/lists/schemas';
import { Page } from '../layout';
import { CsrfField, ErrorSummary } from '../ui/form';
import { formatNumber } from '../ui/format';

/**
 * The confirmation of a list's deletion (docs/console.md: dangerous actions ask, in numbers):
 * the memberships go, the contacts stay, and a campaign that is not finished keeps it.
 */
export function DeleteListPage(props: { c: Context; list: List; message?: string }) {
  const { c, list } = props;
  const actor = actorOf(c);
  const count = formatNumber(list.contactCount);
  const contacts = list.contactCount === 1 ? 'contact' : 'contacts';
  return (
    <Page
      actor={actor}
      area="audiences"
      title={`Delete ${list.name}?`}
      subtitle={<a href={`/audiences/lists/${list.id}`}>Back to {list.name}</a>}
    >
      <ErrorSummary errors={{}} message={props.message} />
      <div class="card">
        <p>
          The list <strong>{list.name}</strong> and its {count} {contacts} will be removed from
          Audiences. Campaigns will no longer send to it.
        </p>
        <ul>
          <li>
            The {count} {contacts} themselves stay: they remain in any other list that holds them,
            with their attributes and opt-outs.
          </li>
          <li>Campaigns that already sent to it keep their figures and messages.</li>
          <li>
            A campaign that is scheduled, running or paused with this list keeps it: finish or
            cancel that campaign first.
          </li>
        </ul>
        <p>This cannot be undone.</p>
        <form method="post" action={`/audiences/lists/${list.id}/delete`} class="actions">
          <CsrfField actor={actor} />
          <button type="submit" class="button danger">
            Delete the list of {count} {contacts}
          </button>
          <a href={`/audiences/lists/${list.id}`}>Keep it</a>
        </form>
      </div>
    </Page>
  );
}
