import type { Contact } from '../../contacts/schemas';
import { contactName } from '../../conversations/contact-name';
import { fieldId } from '../ui/form';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';

/** A GET form that searches contacts by phone or attribute (GET /v1/contacts?q=). */
export function SearchForm(props: { action: string; label: string; q?: string }) {
  const id = fieldId('q');
  return (
    <form method="get" action={props.action} class="search">
      <label for={id} class="visually-hidden">
        {props.label}
      </label>
      <input
        id={id}
        type="search"
        name="q"
        maxlength={100}
        value={props.q ?? ''}
        placeholder="Phone number, name, city…"
      />
      <button type="submit" class="button">
        Search
      </button>
    </form>
  );
}

/** Up to three attributes besides the name, as `city: Berlin`, for a row of a table. */
function attributeSummary(attributes: Record<string, string>): string {
  const entries = Object.entries(attributes);
  const shown = entries.slice(0, 3).map(([key, value]) => `${key}: ${value}`);
  return entries.length > 3
    ? `${shown.join(' · ')} · +${entries.length - 3} more`
    : shown.join(' · ');
}

/** Contacts as a table: the phone opens the contact's page. */
export function ContactsTable(props: { contacts: Contact[]; caption: string }) {
  return (
    <DataTable caption={props.caption} columns={['Phone', 'Name', 'Attributes', 'Campaigns']}>
      {props.contacts.map((contact) => (
        <tr>
          <td>
            <a class="row-link mono" href={`/audiences/contacts/${contact.id}`}>
              {contact.phone}
            </a>
          </td>
          <td>{contactName(contact.attributes) ?? <span class="muted">–</span>}</td>
          <td class="attributes">
            {contact.attributesOmitted ? (
              <span class="muted">too large to show here</span>
            ) : (
              attributeSummary(contact.attributes)
            )}
          </td>
          <td>
            {contact.optedOut ? (
              <StateBadge state="opted_out" label="Opted out" />
            ) : (
              <span class="muted">Receives them</span>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
