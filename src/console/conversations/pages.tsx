import type { Context } from 'hono';
import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { getConversation } from '../../conversations/get-conversation';
import { findConversation, listConversations } from '../../conversations/list-conversations';
import { listThread } from '../../conversations/list-thread';
import { AppError } from '../../errors';
import { listSenders } from '../../senders/get-senders';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { readForm } from '../ui/form-data';
import { viewerZone } from '../ui/format';
import { ConversationsPage, threadPath } from './list-page';
import { type Thread, ThreadPage, threadFingerprint } from './thread-page';

/** Conversations a page of the list holds, and messages a page of a thread. */
const LIST_PAGE = 50;
const THREAD_PAGE = 200;

/** The API's refusals of a reply, in a marketer's words (the box shows them beside it). */
const refusals: Record<string, string> = {
  window_closed:
    'Not sent: the 24-hour window has closed, so WhatsApp no longer takes a free-form message to this customer.',
  opted_out: 'Not sent: this customer has opted out.',
};

/** The phone's conversation, none when it never wrote (an impossible phone is a 400). */
const conversationOf = (deps: ConsoleDeps, rawPhone: string) =>
  getConversation(deps.ctx, rawPhone).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  });

/** The phone's conversation and thread, through the conversations feature's functions. */
async function loadThread(deps: ConsoleDeps, rawPhone: string, cursor?: string): Promise<Thread> {
  const conversation = await conversationOf(deps, rawPhone);
  const page = await listThread(deps.ctx, rawPhone, { cursor, limit: THREAD_PAGE });
  // an account of one number needs no number named
  const senders = await listSenders(deps.ctx, { limit: 2 });
  return {
    phone: conversation?.phone ?? rawPhone,
    conversation,
    items: page.data,
    nextCursor: page.nextCursor,
    severalNumbers: senders.data.length > 1,
  };
}

/** The Conversations area: the open windows, a thread, the reply, the thread's live stream. */
export function conversationPages(deps: ConsoleDeps) {
  const render = async (
    c: Context,
    thread: Thread,
    extra: { notice?: string; error?: string; body?: string } = {},
  ) => c.html(<ThreadPage actor={actorOf(c)} zone={viewerZone(c)} thread={thread} {...extra} />);
  return new Hono()
    .get('/conversations', async (c) => {
      const all = c.req.query('show') === 'all';
      const page = await listConversations(deps.ctx, {
        open: all ? undefined : 'true',
        cursor: c.req.query('cursor'),
        limit: LIST_PAGE,
      });
      return c.html(
        <ConversationsPage
          actor={actorOf(c)}
          zone={viewerZone(c)}
          all={all}
          rows={page.data}
          nextCursor={page.nextCursor}
        />,
      );
    })
    .get('/conversations/:phone', async (c) => {
      const thread = await loadThread(deps, c.req.param('phone'), c.req.query('cursor'));
      return render(c, thread, {
        notice:
          c.req.query('done') === 'sent'
            ? 'Your reply is queued: it goes out ahead of campaign traffic, and its state shows below.'
            : undefined,
      });
    })
    .post('/conversations/:phone/reply', async (c) => {
      const phone = c.req.param('phone');
      const form = await readForm(c);
      const body = form.text('body');
      const senderId = form.text('senderId') || undefined;
      const answer = await callApi(deps.api, c, 'POST', '/v1/messages', { phone, body, senderId });
      if (answer.ok) return c.redirect(`${threadPath(phone)}?done=sent`, 303);
      const { problem } = answer;
      // a role that may not send has no box to show the refusal beside: the error page says it
      if (problem.code === 'forbidden') throw new AppError('forbidden', problem.detail);
      const error =
        refusals[problem.code] ??
        errorsByField(problem).body ??
        errorsByField(problem).phone ??
        problem.detail;
      return render(c, await loadThread(deps, phone), { error, body });
    })
    .get('/conversations/:phone/live', async (c) => {
      const conversation = await conversationOf(deps, c.req.param('phone'));
      const phone = conversation?.phone ?? c.req.param('phone');
      return deps.live.stream(c, `conversation:${phone}`, async () => ({
        latest: threadFingerprint(await findConversation(deps.ctx, phone)),
      }));
    });
}
