import { nextFirings } from '../../campaigns/next-firings';
import type { ScheduleFirings } from '../../campaigns/schedule-schemas';
import { getList, listLists } from '../../contacts/lists/lists';
import type { List } from '../../contacts/lists/schemas';
import type { AppContext } from '../../context';
import type { FrequencyCap } from '../../delivery/frequency-cap';
import type { AppliedWindow } from '../../delivery/send-window';
import { getSender, listSenders } from '../../senders/get-senders';
import type { Sender } from '../../senders/schemas';
import { getTemplate, listTemplates } from '../../templates/get-templates';
import type { Template } from '../../templates/schemas';
import { ifExists } from '../ui/if-exists';
import { type CampaignValues, scheduleOf } from './form-values';

/** Templates, lists and senders the form offers: the newest, and the campaign's own wherever they are. */
const OFFERED = 200;

export type FormOptions = {
  templates: Template[];
  lists: List[];
  /** The senders to choose from, the default first; the form offers them when there are two. */
  senders: Sender[];
  /** More exist than are offered. */
  moreTemplates: boolean;
  moreLists: boolean;
  firings?: ScheduleFirings;
  sendRatePerSecond: number;
  /** FREQUENCY_CAP: the cap a campaign follows unless it sets its own or none. */
  defaultCap: FrequencyCap | undefined;
  /** QUIET_HOURS: the hours a campaign sends in unless it sets its own or none. */
  quietHours: AppliedWindow | undefined;
};

/**
 * What the form shows beside the values: the templates and lists to choose from, and the
 * schedule's next firings by the campaigns feature's own code (what GET /v1/schedules/next
 * answers), so the words on the page are the ones the scheduler keeps.
 */
export async function loadFormOptions(
  ctx: AppContext,
  values: CampaignValues,
): Promise<FormOptions> {
  const [templatePage, listPage, senderPage] = await Promise.all([
    listTemplates(ctx, { limit: OFFERED }),
    listLists(ctx, { limit: OFFERED }),
    listSenders(ctx, { limit: OFFERED }),
  ]);
  const templates = [...templatePage.data];
  if (values.templateId && !templates.some((t) => t.id === values.templateId)) {
    const own = await ifExists(() => getTemplate(ctx, values.templateId));
    if (own) templates.push(own);
  }
  const lists = [...listPage.data];
  for (const listId of values.listIds.filter((id) => !lists.some((l) => l.id === id))) {
    const own = await ifExists(() => getList(ctx, listId));
    if (own) lists.push(own);
  }
  const senders = [...senderPage.data].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  if (values.senderId && !senders.some((s) => s.id === values.senderId)) {
    const own = await ifExists(() => getSender(ctx, values.senderId));
    if (own) senders.push(own);
  }
  const schedule = scheduleOf(values);
  const firings =
    schedule && (values.scheduleKind === 'repeat' || values.at)
      ? await nextFirings(
          {
            ...('cron' in schedule ? { cron: schedule.cron } : { at: schedule.at }),
            timezone: schedule.timezone,
            ...(values.localTime ? { localTime: 'true' as const } : {}),
            count: 5,
          },
          ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES,
          ctx.zoneNames,
        )
      : undefined;
  return {
    templates,
    lists,
    senders,
    moreTemplates: templatePage.nextCursor !== null,
    moreLists: listPage.nextCursor !== null,
    firings,
    sendRatePerSecond: ctx.config.SEND_RATE_PER_SECOND,
    defaultCap: ctx.config.FREQUENCY_CAP,
    quietHours: ctx.config.QUIET_HOURS,
  };
}
