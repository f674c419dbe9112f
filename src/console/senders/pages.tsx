import { type Context, Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { campaignsSendingThrough } from '../../senders/delete-sender';
import { getSender, listSenders } from '../../senders/get-senders';
import type { Sender } from '../../senders/schemas';
import { callApi, errorsByField } from '../api-call';
import { refusedForRole } from '../audiences/refused-for-role';
import type { ConsoleDeps } from '../deps';
import { readForm } from '../ui/form-data';
import { nextPageHref } from '../ui/load-more';
import { credentialsFromForm, credentialsShownBack } from './credential-fields';
import { CAMPAIGNS_NAMED, DeleteSenderPage } from './delete-page';
import { SendersPage } from './list-page';
import { ChooseProviderPage, NewSenderPage, providerOf } from './new-sender-page';
import { SenderPage, type SenderPageForm } from './sender-page';
import { blankSender, senderBody, senderValuesFromForm, valuesOfSender } from './sender-values';

/** Senders a page of the list holds: an account has a handful; more are paged. */
const SENDERS_PER_PAGE = 50;

const notices: Record<string, string> = {
  created: 'The sender was added. Campaigns can send through it now.',
  saved: 'Saved.',
  paused: 'Paused: nothing is sent through it until you resume it.',
  resumed: 'Resumed: its campaigns’ messages go out again.',
  credentials: 'The credentials were replaced.',
  deleted: 'The sender was deleted.',
};
const noticeOf = (c: Context) => notices[c.req.query('done') ?? ''];

/**
 * Settings → Senders (docs/design.md, rule 31): every role reads them (a campaign names one),
 * admins change them. Reads go through the senders feature's own functions; every write goes
 * through `/v1/senders` in-process, so the API's checks, its 422s naming `credentials.<field>`
 * and the audit trail are the API's own. Credentials are write-only (rule 32): no page holds
 * one, not even the form shown again with its errors.
 */
export function senderPages(deps: ConsoleDeps) {
  const { ctx } = deps;
  const senderPage = async (
    c: Context,
    id: string,
    form: Partial<SenderPageForm> = {},
    notice?: string,
  ) => {
    const sender = await getSender(ctx, id);
    const shown: SenderPageForm = {
      values: form.values ?? valuesOfSender(sender),
      credentials: form.credentials ?? {},
      errors: form.errors ?? {},
      message: form.message,
    };
    return c.html(<SenderPage c={c} sender={sender} form={shown} notice={notice} />);
  };
  /** A PATCH of the sender; its refusal shows the page again with the errors in place. */
  const change = async (
    c: Context,
    sender: Sender,
    body: Record<string, unknown>,
    done: string,
    form: Partial<SenderPageForm>,
  ) => {
    const answer = await callApi<Sender>(deps.api, c, 'PATCH', `/v1/senders/${sender.id}`, body);
    refusedForRole(answer);
    if (answer.ok) return c.redirect(`/settings/senders/${sender.id}?done=${done}`, 303);
    const errors = errorsByField(answer.problem);
    const message = Object.keys(errors).length > 0 ? undefined : answer.problem.detail;
    return senderPage(c, sender.id, { ...form, errors, message });
  };
  return new Hono()
    .get('/settings/senders', async (c) => {
      const page = await listSenders(ctx, {
        limit: SENDERS_PER_PAGE,
        cursor: c.req.query('cursor') || undefined,
      });
      return c.html(
        <SendersPage
          c={c}
          senders={page.data}
          nextPage={nextPageHref(c.req.url, page.nextCursor)}
          notice={noticeOf(c)}
        />,
      );
    })
    .get('/settings/senders/new', (c) => {
      requirePermission(actorOf(c), 'admin');
      const asked = c.req.query('provider');
      const provider = providerOf(asked);
      if (!provider) {
        const error = asked === undefined ? undefined : 'Choose one of the providers';
        return c.html(<ChooseProviderPage c={c} error={error} />);
      }
      return c.html(
        <NewSenderPage
          c={c}
          provider={provider}
          values={blankSender}
          credentials={{}}
          errors={{}}
        />,
      );
    })
    .post('/settings/senders/new', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const form = await readForm(c);
      const provider = providerOf(form.text('provider'));
      if (!provider)
        return c.html(<ChooseProviderPage c={c} error="Choose one of the providers" />);
      const values = senderValuesFromForm(form);
      const again = (errors: Record<string, string>, message?: string) =>
        c.html(
          <NewSenderPage
            c={c}
            provider={provider}
            values={values}
            credentials={credentialsShownBack(provider, form.text)}
            errors={errors}
            message={message}
          />,
        );
      const built = senderBody(values, { change: false });
      if ('errors' in built) return again(built.errors);
      const answer = await callApi<Sender>(deps.api, c, 'POST', '/v1/senders', {
        ...built.body,
        provider,
        credentials: credentialsFromForm(provider, form.text),
      });
      refusedForRole(answer);
      if (!answer.ok) {
        const errors = errorsByField(answer.problem);
        return again(errors, Object.keys(errors).length > 0 ? undefined : answer.problem.detail);
      }
      return c.redirect(`/settings/senders/${answer.data.id}?done=created`, 303);
    })
    .get('/settings/senders/:senderId', (c) =>
      senderPage(c, c.req.param('senderId'), {}, noticeOf(c)),
    )
    .post('/settings/senders/:senderId', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const sender = await getSender(ctx, c.req.param('senderId'));
      const values = senderValuesFromForm(await readForm(c));
      const built = senderBody(values, { change: true, fromEnvironment: sender.isDefault });
      if ('errors' in built) return senderPage(c, sender.id, { values, errors: built.errors });
      return change(c, sender, built.body, 'saved', { values });
    })
    .post('/settings/senders/:senderId/status', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const sender = await getSender(ctx, c.req.param('senderId'));
      const status = (await readForm(c)).text('status') === 'active' ? 'active' : 'paused';
      return change(c, sender, { status }, status === 'active' ? 'resumed' : 'paused', {});
    })
    .post('/settings/senders/:senderId/credentials', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const sender = await getSender(ctx, c.req.param('senderId'));
      const form = await readForm(c);
      return change(
        c,
        sender,
        { credentials: credentialsFromForm(sender.provider, form.text) ?? {} },
        'credentials',
        { credentials: credentialsShownBack(sender.provider, form.text) },
      );
    })
    .get('/settings/senders/:senderId/delete', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const sender = await getSender(ctx, c.req.param('senderId'));
      const using = await campaignsSendingThrough(ctx.database.db, sender.id, CAMPAIGNS_NAMED + 1);
      return c.html(<DeleteSenderPage c={c} sender={sender} using={using} />);
    })
    .post('/settings/senders/:senderId/delete', async (c) => {
      requirePermission(actorOf(c), 'admin');
      const sender = await getSender(ctx, c.req.param('senderId'));
      const answer = await callApi(deps.api, c, 'DELETE', `/v1/senders/${sender.id}`);
      refusedForRole(answer);
      if (answer.ok) return c.redirect('/settings/senders?done=deleted', 303);
      // The API's 409 names the sender and a campaign by id: the page says it from what it knows.
      const using = await campaignsSendingThrough(ctx.database.db, sender.id, CAMPAIGNS_NAMED + 1);
      const message =
        answer.status !== 409
          ? answer.problem.detail
          : sender.isDefault
            ? 'The default sender comes from the service’s environment: it cannot be deleted.'
            : 'It was not deleted: campaigns that are not finished still send through it (below).';
      return c.html(<DeleteSenderPage c={c} sender={sender} using={using} message={message} />);
    });
}
