import { z } from 'zod';
import { getCampaign, listRuns } from '../../campaigns/get-campaigns';
import { listNames } from '../../contacts/lists/lists';
import type { AppContext } from '../../context';
import { messageStatus } from '../../db/schema';
import { findSender } from '../../senders/get-senders';
import { getCampaignProgress } from '../../stats/get-progress';
import { getCampaignCounters, getCampaignStats } from '../../stats/get-stats';
import { listMessages } from '../../stats/list-messages';
import { errorCodeRows } from '../../stats/queries';
import { getRunWaiting, type RunWaiting } from '../../stats/run-waiting';
import { findTemplate } from '../../templates/get-templates';

/** A page of the messages table: small, the API's cursor for the next one. */
export const MESSAGES_PER_PAGE = 50;

const MessageStatus = z.enum(messageStatus.enumValues);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** The status of the messages filter, when the query names one that exists. */
export const messageStatusOf = (value: string | undefined): MessageStatus | undefined => {
  const parsed = MessageStatus.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/**
 * The live figures: the API's stats (the counters, without the maps by code and price, which
 * the page reads once) and progress of the campaign, read by the same functions, and what the
 * latest run's send window holds back; once a second while a page watches.
 */
export async function loadFigures(ctx: AppContext, id: string) {
  const [stats, progress] = await Promise.all([
    getCampaignCounters(ctx, id),
    getCampaignProgress(ctx, id),
  ]);
  const runId = progress.run?.id;
  const waiting = runId ? await getRunWaiting(ctx, id, runId) : null;
  return { stats, progress, waiting };
}

/** What the latest run's send window holds back, when there is a run. */
const waitingOf = (ctx: AppContext, id: string, latest: { id: string } | undefined) =>
  latest ? getRunWaiting(ctx, id, latest.id) : Promise.resolve<RunWaiting | null>(null);

/**
 * Everything a campaign's page shows, read through the features' own functions. Its messages
 * are one run's: the run asked for, else the latest (a table of every run in id order sorts a
 * big campaign's rows on each view; one run's is read from the index, stats/queries.ts).
 */
export async function loadCampaignPage(
  ctx: AppContext,
  id: string,
  messages: { status?: MessageStatus; cursor?: string; run?: string },
) {
  const campaign = await getCampaign(ctx, id);
  const runs = (await listRuns(ctx, id)).data;
  const run = runs.find((r) => r.id === messages.run) ?? runs[0];
  const [stats, progress, errorCodes, template, sender, lists, page, waiting] = await Promise.all([
    getCampaignStats(ctx, id),
    getCampaignProgress(ctx, id),
    // the rows behind the stats' byErrorCode, with the title Meta gave each code
    errorCodeRows(ctx.database.sql, id, undefined),
    findTemplate(ctx, campaign.templateId),
    findSender(ctx, campaign.senderId),
    listNames(ctx, campaign.listIds),
    listMessages(ctx, id, {
      limit: MESSAGES_PER_PAGE,
      cursor: messages.cursor,
      status: messages.status,
      run: run?.id,
      phoneFormat: 'quoted',
    }),
    // runs are listed newest first: the latest is the progress' run
    waitingOf(ctx, id, runs[0]),
  ]);
  return {
    campaign,
    stats,
    progress,
    errorCodes,
    template,
    sender,
    lists,
    runs,
    run,
    messages: page,
    waiting,
  };
}

export type CampaignPageData = Awaited<ReturnType<typeof loadCampaignPage>>;
