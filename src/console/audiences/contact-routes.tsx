import { type Context, Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { getContact } from '../../contacts/contacts';
import { listContactLists } from '../../contacts/list-contact-lists';
import { listOptOuts } from '../../contacts/opt-outs';
import type { OptOut } from '../../contacts/schemas';
import { contactByPhone } from '../../contacts/search-contacts';
import { listThread } from '../../conversations/list-thread';
import type { ProblemDocument } from '../../errors';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { readForm } from '../ui/form-data';
import { ContactPage } from './contact-page';
import { OptOutRemovePage } from './opt-out-remove-page';
import { OptOutsPage } from './opt-outs-page';
import { contactsView } from './read-contacts';
import { refusedForRole } from './refused-for-role';
import { SearchPage } from './search-page';

const PAGE = 50;

/** Where to go back to after a write made from a contact's page: a page of Audiences only. */
const backTo = (next: string) => (/^\/audiences\/contacts\/[\w-]+$/.test(next) ? next : null);

/** The search for a contact, a contact's page, and the opt-outs. */
export function contactPages(deps: ConsoleDeps) {
  const { ctx } = deps;
  /** The opt-outs again, with the API's refusal at the top (and beside the phone). */
  const refused = async (c: Context, problem: ProblemDocument, phone?: string) => {
    const page = await listOptOuts(ctx, { limit: PAGE });
    return c.html(
      <OptOutsPage
        c={c}
        optOuts={page.data}
        nextCursor={page.nextCursor}
        phone={phone}
        errors={errorsByField(problem)}
        message={problem.detail}
      />,
    );
  };
  return new Hono()
    .get('/audiences/contacts', async (c) => {
      const view = c.req.query('q')?.trim() ? await contactsView(ctx, c) : undefined;
      return c.html(<SearchPage c={c} view={view} />);
    })
    .get('/audiences/contacts/:contactId', async (c) => {
      const contact = await getContact(ctx, c.req.param('contactId'));
      const [lists, messages] = await Promise.all([
        listContactLists(ctx, contact.id, { cursor: c.req.query('lists'), limit: PAGE }),
        listThread(ctx, contact.phone, { cursor: c.req.query('messages'), limit: PAGE }),
      ]);
      return c.html(<ContactPage c={c} contact={contact} lists={lists} messages={messages} />);
    })
    .get('/audiences/opt-outs', async (c) => {
      const page = await listOptOuts(ctx, { cursor: c.req.query('cursor'), limit: PAGE });
      return c.html(<OptOutsPage c={c} optOuts={page.data} nextCursor={page.nextCursor} />);
    })
    .post('/audiences/opt-outs', async (c) => {
      const form = await readForm(c);
      const phone = form.text('phone').trim();
      const answer = await callApi<OptOut>(deps.api, c, 'POST', '/v1/opt-outs', { phone });
      refusedForRole(answer);
      if (!answer.ok) return refused(c, answer.problem, phone);
      const done = answer.status === 201 ? 'added' : 'already';
      const back = backTo(form.text('next').trim());
      return c.redirect(back ? `${back}?done=added` : `/audiences/opt-outs?done=${done}`, 303);
    })
    .get('/audiences/opt-outs/remove', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const phone = (c.req.query('phone') ?? '').trim().slice(0, 64);
      const contact = await contactByPhone(ctx, phone);
      const lists = contact
        ? await listContactLists(ctx, contact.id, { limit: 20 })
        : { data: [], nextCursor: null };
      return c.html(
        <OptOutRemovePage c={c} phone={contact?.phone ?? phone} contact={contact} lists={lists} />,
      );
    })
    .post('/audiences/opt-outs/remove', async (c) => {
      const phone = (await readForm(c)).text('phone').trim();
      const path = `/v1/opt-outs/${encodeURIComponent(phone)}`;
      const answer = await callApi(deps.api, c, 'DELETE', path);
      refusedForRole(answer);
      if (!answer.ok) return refused(c, answer.problem);
      return c.redirect('/audiences/opt-outs?done=removed', 303);
    });
}
