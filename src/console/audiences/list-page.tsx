import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { ImportSummary } from '../../contacts/import/schemas';
import type { List } from '../../contacts/lists/schemas';
import type { Contact } from '../../contacts/schemas';
import { EmptyState, Page } from '../layout';
import { formatNumber, viewerZone } from '../ui/format';
import { LoadMore, nextPageHref } from '../ui/load-more';
import { Time } from '../ui/time';
import { ContactsTable, SearchForm } from './contacts-table';
import { AudiencesNav, DoneNotice } from './nav';
import { RecentImports } from './recent-imports';

const notices: Record<string, string> = {
  created: 'The list was created. Upload a CSV file to add its contacts.',
  renamed: 'The list was renamed.',
};

export type ContactsView = {
  contacts: Contact[];
  nextCursor: string | null;
  /** A search: what was typed, and how many contacts this page looked at. */
  search?: { q: string; scanned: number };
};

/** One list: its count and actions first, then its contacts, or the matches of a search. */
export function ListPage(props: {
  c: Context;
  list: List;
  view: ContactsView;
  imports: ImportSummary[];
}) {
  const { c, list, view } = props;
  const actor = actorOf(c);
  const base = `/audiences/lists/${list.id}`;
  const writes = can(actor, 'write');
  return (
    <Page
      actor={actor}
      area="audiences"
      title={list.name}
      subtitle={
        <>
          <a href="/audiences">Audiences</a> · {formatNumber(list.contactCount)}{' '}
          {list.contactCount === 1 ? 'contact' : 'contacts'} · created{' '}
          <Time at={list.createdAt} zone={viewerZone(c)} />
        </>
      }
      primary={
        writes ? (
          <a class="button primary" href={`${base}/upload`}>
            Upload contacts
          </a>
        ) : undefined
      }
    >
      <AudiencesNav current="/audiences" />
      <DoneNotice notices={notices} done={c.req.query('done')} />
      {list.description ? <p>{list.description}</p> : null}
      {writes ? (
        <p class="actions">
          <a class="button" href={`${base}/edit`}>
            Rename
          </a>
          <a class="button" href={`${base}/delete`}>
            Delete list…
          </a>
        </p>
      ) : null}
      <h2>Contacts</h2>
      {list.contactCount > 0 || view.search ? (
        <SearchForm action={base} label={`Find a contact in ${list.name}`} q={view.search?.q} />
      ) : null}
      <ListContacts c={c} list={list} view={view} writes={writes} />
      <RecentImports imports={props.imports} zone={viewerZone(c)} />
    </Page>
  );
}

function ListContacts(props: { c: Context; list: List; view: ContactsView; writes: boolean }) {
  const { c, list, view } = props;
  const next = nextPageHref(c.req.url, view.nextCursor);
  if (view.search) {
    return (
      <SearchResults
        q={view.search.q}
        scanned={view.search.scanned}
        contacts={view.contacts}
        next={next}
        clear={`/audiences/lists/${list.id}`}
      />
    );
  }
  if (view.contacts.length === 0 && !c.req.query('cursor')) {
    return (
      <EmptyState
        title="No contacts in this list yet"
        action={
          props.writes ? (
            <a class="button primary" href={`/audiences/lists/${list.id}/upload`}>
              Upload a CSV file
            </a>
          ) : undefined
        }
      >
        Upload a CSV file of your customers: one column of phone numbers, and any others (name,
        city…) for your templates.
      </EmptyState>
    );
  }
  return (
    <>
      <ContactsTable contacts={view.contacts} caption={`Contacts of ${list.name}`} />
      <LoadMore href={next} />
    </>
  );
}

/** A search's matches, with how far it looked and the way on. */
export function SearchResults(props: {
  q: string;
  scanned: number;
  contacts: Contact[];
  next: string | null;
  clear: string;
}) {
  const { q, scanned, contacts, next } = props;
  // An empty page of a bounded scan (contacts/search-contacts.ts) says how far it looked.
  const words =
    contacts.length > 0
      ? `Contacts matching “${q}”.`
      : next
        ? `No contact matches “${q}” among the ${formatNumber(scanned)} looked at so far.`
        : `No contact matches “${q}”.`;
  return (
    <section aria-label="Search results">
      <p role="status">
        {words} <a href={props.clear}>Clear the search</a>
      </p>
      {contacts.length > 0 ? (
        <ContactsTable contacts={contacts} caption={`Matches of ${q}`} />
      ) : null}
      <LoadMore href={next} label={contacts.length === 0 ? 'Search further' : 'Load more'} />
    </section>
  );
}
