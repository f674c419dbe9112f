import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { Page } from '../layout';
import { nextPageHref } from '../ui/load-more';
import { SearchForm } from './contacts-table';
import type { ContactsView } from './list-page';
import { SearchResults } from './list-page';
import { AudiencesNav } from './nav';

/** Find a contact in any list, by phone or by any attribute's value. */
export function SearchPage(props: { c: Context; view?: ContactsView }) {
  const { c, view } = props;
  return (
    <Page actor={actorOf(c)} area="audiences" title="Find a contact">
      <AudiencesNav current="/audiences/contacts" />
      <p class="muted">
        Type some digits of a phone number (<span class="mono">5001</span>,{' '}
        <span class="mono">+49 151…</span>) or part of a name, a city or any other column of your
        files.
      </p>
      <SearchForm
        action="/audiences/contacts"
        label="Phone number or attribute"
        q={view?.search?.q}
      />
      {view?.search ? (
        <SearchResults
          q={view.search.q}
          scanned={view.search.scanned}
          contacts={view.contacts}
          next={nextPageHref(c.req.url, view.nextCursor)}
          clear="/audiences/contacts"
        />
      ) : null}
    </Page>
  );
}
