import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Contact, ContactListEntry } from '../../contacts/schemas';
import { contactName } from '../../conversations/contact-name';
import type { ConversationMessage } from '../../conversations/schemas';
import { EmptyState, Page } from '../layout';
import { ActionButton } from '../ui/form';
import { viewerZone } from '../ui/format';
import { LoadMore, nextPageHref } from '../ui/load-more';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';
import { MessageHistory } from './message-history';
import { AudiencesNav, DoneNotice } from './nav';

type Paged<T> = { data: T[]; nextCursor: string | null };

const notices: Record<string, string> = {
  added: 'This phone is opted out: it gets no campaign and no follow-up any more.',
};

/** A contact: its phone and opt-out first, then its attributes, its lists and its messages. */
export function ContactPage(props: {
  c: Context;
  contact: Contact;
  lists: Paged<ContactListEntry>;
  messages: Paged<ConversationMessage>;
}) {
  const { c, contact, lists, messages } = props;
  const actor = actorOf(c);
  const zone = viewerZone(c);
  const name = contactName(contact.attributes);
  const attributes = Object.entries(contact.attributes).sort(([a], [b]) => a.localeCompare(b));
  const self = `/audiences/contacts/${contact.id}`;
  return (
    <Page
      actor={actor}
      area="audiences"
      title={name ?? contact.phone}
      subtitle={
        <>
          <span class="mono">{contact.phone}</span> · added{' '}
          <Time at={contact.createdAt} zone={zone} />
        </>
      }
    >
      <AudiencesNav />
      <DoneNotice notices={notices} done={c.req.query('done')} />
      <div class="card">
        {contact.optedOut ? (
          <>
            <p>
              <StateBadge state="opted_out" label="Opted out" /> since{' '}
              <Time at={contact.optedOutAt} zone={zone} />: no campaign and no follow-up is sent to
              this phone.
            </p>
            {can(actor, 'admin') ? (
              <a
                class="button"
                href={`/audiences/opt-outs/remove?phone=${encodeURIComponent(contact.phone)}`}
              >
                Opt back in…
              </a>
            ) : null}
          </>
        ) : (
          <>
            <p>This phone receives the campaigns sent to its lists.</p>
            {can(actor, 'write') ? (
              <ActionButton
                actor={actor}
                action="/audiences/opt-outs"
                label="Opt this phone out"
                hidden={{ phone: contact.phone, next: self }}
              />
            ) : null}
          </>
        )}
      </div>
      <h2>Attributes</h2>
      {contact.attributesOmitted ? (
        <p class="muted">This contact's attributes are too large to show.</p>
      ) : attributes.length === 0 ? (
        <p class="muted">No attributes: its file had only the phone column.</p>
      ) : (
        <dl class="details narrow-stack">
          {attributes.map(([key, value]) => (
            <>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
      )}
      <h2>Lists</h2>
      {lists.data.length === 0 ? (
        <p class="muted">In no list any more (its lists were deleted).</p>
      ) : (
        <ul class="contact-lists">
          {lists.data.map((list) => (
            <li>
              <a href={`/audiences/lists/${list.id}`}>{list.name}</a>{' '}
              <span class="muted">
                · added <Time at={list.addedAt} zone={zone} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <LoadMore href={nextPageHref(c.req.url, lists.nextCursor, 'lists')} label="More lists" />
      <h2>Messages</h2>
      {messages.data.length === 0 && !c.req.query('messages') ? (
        <EmptyState title="No messages yet">
          No campaign has been sent to this phone, and it has not written to you.
        </EmptyState>
      ) : (
        <MessageHistory messages={messages.data} zone={zone} />
      )}
      <LoadMore
        href={nextPageHref(c.req.url, messages.nextCursor, 'messages')}
        label="Later messages"
      />
    </Page>
  );
}
