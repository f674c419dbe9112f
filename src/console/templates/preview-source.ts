import { listContacts } from '../../contacts/contacts';
import { listAttributes } from '../../contacts/lists/list-attributes';
import { listLists } from '../../contacts/lists/lists';
import type { List } from '../../contacts/lists/schemas';
import type { Contact } from '../../contacts/schemas';
import type { AppContext } from '../../context';
import { contactName } from '../../conversations/contact-name';
import { ifExists } from '../ui/if-exists';

/** Lists offered for the preview, and contacts of the chosen one: the newest of each. */
const LISTS_SHOWN = 100;
const CONTACTS_SHOWN = 50;

export type PreviewContact = { id: string; label: string };

/** What the preview's pickers offer: the lists, the chosen list's contacts and its columns. */
export type PreviewSource = {
  lists: List[];
  listId?: string;
  contacts: PreviewContact[];
  contactId?: string;
  attributes: string[];
};

/** `Anna Schmidt · +4915112345001`: a contact as a picker shows it (never its id). */
export function contactLabel(contact: Pick<Contact, 'phone' | 'attributes' | 'optedOut'>) {
  const name = contactName(contact.attributes);
  const phone = name ? `${name} · ${contact.phone}` : contact.phone;
  return contact.optedOut ? `${phone} (opted out)` : phone;
}

/**
 * The lists, and for the chosen one (the first unless one is asked) its first contacts and the
 * attribute names placeholders can use. A list or contact that no longer exists is not chosen.
 */
export async function loadPreviewSource(
  ctx: AppContext,
  asked: { listId?: string; contactId?: string },
): Promise<PreviewSource> {
  const lists = (await listLists(ctx, { limit: LISTS_SHOWN })).data;
  const list = lists.find((each) => each.id === asked.listId) ?? lists[0];
  if (!list) return { lists, contacts: [], attributes: [] };
  // a list deleted between the two reads: the lists are offered without it
  const read = await ifExists(() =>
    Promise.all([
      listContacts(ctx, list.id, { limit: CONTACTS_SHOWN }),
      listAttributes(ctx, list.id),
    ]),
  );
  if (!read) return { lists, contacts: [], attributes: [] };
  const [page, attributes] = read;
  const contacts = page.data.map((contact) => ({ id: contact.id, label: contactLabel(contact) }));
  const contact = contacts.find((each) => each.id === asked.contactId) ?? contacts[0];
  return { lists, listId: list.id, contacts, contactId: contact?.id, attributes: attributes.names };
}
