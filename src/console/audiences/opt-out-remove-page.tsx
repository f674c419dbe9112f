import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { Contact, ContactListEntry } from '../../contacts/schemas';
import { Page } from '../layout';
import { CsrfField, ErrorSummary } from '../ui/form';
import { formatNumber } from '../ui/format';

/**
 * The confirmation of opting a phone back in (admins; docs/design.md, rule 27): it says that
 * the phone will receive campaigns again, and through how many lists.
 */
export function OptOutRemovePage(props: {
  c: Context;
  phone: string;
  contact: Contact | null;
  lists: { data: ContactListEntry[]; nextCursor: string | null };
  message?: string;
}) {
  const { c, phone, contact, lists } = props;
  const actor = actorOf(c);
  const count = lists.data.length;
  const inLists = lists.nextCursor
    ? `more than ${formatNumber(count)} lists`
    : `${formatNumber(count)} ${count === 1 ? 'list' : 'lists'}`;
  return (
    <Page
      actor={actor}
      area="audiences"
      title={`Opt ${phone} back in?`}
      subtitle={<a href="/audiences/opt-outs">Back to the opt-outs</a>}
    >
      <ErrorSummary errors={{}} message={props.message} />
      <div class="card">
        <p>
          <strong class="mono">{phone}</strong> will receive campaigns again.
        </p>
        <ul>
          {contact ? (
            <li>
              It is in {inLists}
              {count > 0 ? `: ${lists.data.map((list) => list.name).join(', ')}` : ''}. The next run
              of every campaign sent to {count === 1 ? 'that list' : 'those lists'} will include it.
            </li>
          ) : (
            <li>It is in no list now; it will get the campaigns of any list that takes it in.</li>
          )}
          <li>
            Only do this when the customer asked for it: they opted out, and a message they did not
            want may be reported as spam.
          </li>
        </ul>
        <form method="post" action="/audiences/opt-outs/remove" class="actions">
          <CsrfField actor={actor} />
          <input type="hidden" name="phone" value={phone} />
          <button type="submit" class="button danger">
            Opt {phone} back in
          </button>
          <a href="/audiences/opt-outs">Keep it opted out</a>
        </form>
      </div>
    </Page>
  );
}
