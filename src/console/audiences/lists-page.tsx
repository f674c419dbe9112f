import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { List } from '../../contacts/lists/schemas';
import { EmptyState, Page } from '../layout';
import { formatNumber, viewerZone } from '../ui/format';
import { LoadMore, nextPageHref } from '../ui/load-more';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { SearchForm } from './contacts-table';
import { AudiencesNav, DoneNotice } from './nav';

const notices: Record<string, string> = {
  deleted: 'The list was deleted. Its contacts stay in the other lists that hold them.',
};

/** Audiences: the lists with their contact counts, newest first, and the way to a contact. */
export function ListsPage(props: { c: Context; lists: List[]; nextCursor: string | null }) {
  const { c, lists } = props;
  const actor = actorOf(c);
  const zone = viewerZone(c);
  const writes = can(actor, 'write');
  return (
    <Page
      actor={actor}
      area="audiences"
      title="Audiences"
      subtitle="Lists of customers to send campaigns to, from the CSV files you upload."
      primary={
        writes ? (
          <a class="button primary" href="/audiences/lists/new">
            New list
          </a>
        ) : undefined
      }
    >
      <AudiencesNav current="/audiences" />
      <DoneNotice notices={notices} done={c.req.query('done')} />
      <SearchForm action="/audiences/contacts" label="Find a contact in any list" />
      {lists.length === 0 && !c.req.query('cursor') ? (
        <EmptyState
          title="No lists yet"
          action={
            writes ? (
              <a class="button primary" href="/audiences/lists/new">
                Create a list and upload a CSV
              </a>
            ) : undefined
          }
        >
          No lists yet. Upload a CSV of your customers to create one.
        </EmptyState>
      ) : (
        <DataTable
          caption="Lists, newest first"
          columns={['List', { heading: 'Contacts', numeric: true }, 'Created']}
        >
          {lists.map((list) => (
            <tr>
              <td>
                <a class="row-link" href={`/audiences/lists/${list.id}`}>
                  {list.name}
                </a>
                {list.description ? <div class="muted">{list.description}</div> : null}
              </td>
              <td class="num">{formatNumber(list.contactCount)}</td>
              <td>
                <Time at={list.createdAt} zone={zone} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore href={nextPageHref(c.req.url, props.nextCursor)} />
    </Page>
  );
}
