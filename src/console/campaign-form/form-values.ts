import type { Campaign } from '../../campaigns/schemas';
import { WEEKDAYS, type Weekday } from '../../delivery/send-window';
import type { FormData } from '../ui/form-data';
import { presetOf } from './schedule-choices';

export type ScheduleKind = 'now' | 'once' | 'repeat';
/** The frequency cap chosen: the account's default, none, or the campaign's own numbers. */
export type CapMode = 'default' | 'off' | 'own';
/** The send window chosen: the account's quiet hours, any time, or the campaign's own hours. */
export type WindowMode = 'default' | 'off' | 'own';

/** The campaign form's fields as typed (strings), before they become the API's JSON. */
export type CampaignValues = {
  name: string;
  templateId: string;
  listIds: string[];
  /** The sender it sends through; empty: the default sender. */
  senderId: string;
  followUp: string;
  scheduleKind: ScheduleKind;
  /** A local date-time (`2026-12-01T09:00`) in `timezone`, or in each recipient's own zone. */
  at: string;
  /** A one-off at `at` in each recipient's own zone; `timezone` is then for those of none known. */
  localTime: boolean;
  /** A preset's pattern, or `custom` for `cron`. */
  preset: string;
  cron: string;
  timezone: string;
  /** Messages a second; empty: the account's pace. */
  rate: string;
  capMode: CapMode;
  /** The own cap's numbers as typed. */
  capMax: string;
  capDays: string;
  windowMode: WindowMode;
  /** The own window's hours (HH:MM), days and deadline in hours (empty: none) as given. */
  windowFrom: string;
  windowTo: string;
  windowDays: Weekday[];
  windowDeadline: string;
  /** The holdout's percent as typed; empty: none. */
  holdout: string;
  acceptSkips: boolean;
};

export const blankCampaign = (zone: string, templateId = ''): CampaignValues => ({
  name: '',
  templateId,
  listIds: [],
  senderId: '',
  followUp: '',
  scheduleKind: 'now',
  at: '',
  localTime: false,
  preset: '0 9 * * MON',
  cron: '0 9 * * MON',
  timezone: zone,
  rate: '',
  capMode: 'default',
  capMax: '2',
  capDays: '7',
  windowMode: 'default',
  windowFrom: '09:00',
  windowTo: '20:00',
  windowDays: [...WEEKDAYS],
  windowDeadline: '',
  holdout: '',
  acceptSkips: false,
});

/** `2026-12-01T09:00`: an instant as the wall clock of `zone` reads it. */
export function localDateTime(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** A saved campaign in the form; a one-off time is shown in the viewer's zone. */
export function valuesOf(campaign: Campaign, zone: string): CampaignValues {
  const schedule = campaign.schedule;
  const base = blankCampaign(zone, campaign.templateId);
  return {
    ...base,
    name: campaign.name,
    listIds: campaign.listIds,
    senderId: campaign.senderId,
    followUp: campaign.followUp?.body ?? '',
    rate: campaign.ratePerSecond === null ? '' : String(campaign.ratePerSecond),
    holdout: campaign.holdoutPercent === 0 ? '' : String(campaign.holdoutPercent),
    ...(campaign.frequencyCap === undefined
      ? {}
      : campaign.frequencyCap === null
        ? { capMode: 'off' as const }
        : {
            capMode: 'own' as const,
            capMax: String(campaign.frequencyCap.max),
            capDays: String(campaign.frequencyCap.days),
          }),
    ...windowValuesOf(campaign.sendWindow),
    ...(schedule === null
      ? {}
      : 'at' in schedule
        ? schedule.localTime
          ? {
              scheduleKind: 'once' as const,
              // the API answers a local-time schedule's own wall-clock time
              at: schedule.at,
              localTime: true,
              timezone: schedule.timezone ?? zone,
            }
          : { scheduleKind: 'once' as const, at: localDateTime(schedule.at, zone) }
        : {
            scheduleKind: 'repeat' as const,
            preset: presetOf(schedule.cron),
            cron: schedule.cron,
            timezone: schedule.timezone,
          }),
  };
}

/** A saved send window's fields: absent follows the account's quiet hours, null is any time. */
function windowValuesOf(window: Campaign['sendWindow']): Partial<CampaignValues> {
  if (window === undefined) return {};
  if (window === null) return { windowMode: 'off' };
  return {
    windowMode: 'own',
    windowFrom: window.from,
    windowTo: window.to,
    windowDays: window.days ?? [...WEEKDAYS],
    windowDeadline: window.deadlineHours === undefined ? '' : String(window.deadlineHours),
  };
}

/**
 * The repetition asked for. Without JavaScript the preset and the pattern do not follow each
 * other, so the page carries the pattern it showed (`cronShown`): a preset picked since wins, else
 * a pattern typed since (a preset again when it is one).
 */
function repetitionOf(form: FormData): { preset: string; cron: string } {
  const shown = form.text('cronShown');
  const preset = form.text('preset') || 'custom';
  const cron = form.text('schedule.cron').trim();
  if (preset !== 'custom' && preset !== shown) return { preset, cron: preset };
  if (cron !== shown) return { preset: presetOf(cron), cron };
  return { preset, cron: preset === 'custom' ? cron : preset };
}

export function valuesFromForm(form: FormData): CampaignValues {
  const kind = form.text('scheduleKind');
  return {
    ...repetitionOf(form),
    name: form.text('name'),
    templateId: form.text('templateId'),
    listIds: form.texts('listIds').slice(0, 101),
    senderId: form.text('senderId'),
    followUp: form.text('followUp.body'),
    scheduleKind: kind === 'once' || kind === 'repeat' ? kind : 'now',
    at: form.text('schedule.at'),
    localTime: form.text('schedule.localTime') === 'yes',
    timezone: form.text('schedule.timezone') || 'UTC',
    rate: form.text('ratePerSecond').trim(),
    capMode: settingModeOf(form.text('frequencyCap.mode')),
    capMax: form.text('frequencyCap.max').trim(),
    capDays: form.text('frequencyCap.days').trim(),
    windowMode: settingModeOf(form.text('sendWindow.mode')),
    windowFrom: form.text('sendWindow.from').trim(),
    windowTo: form.text('sendWindow.to').trim(),
    windowDays: WEEKDAYS.filter((day) => form.texts('sendWindow.days').includes(day)),
    windowDeadline: form.text('sendWindow.deadlineHours').trim(),
    holdout: form.text('holdoutPercent').trim(),
    acceptSkips: form.text('acceptSkips') === 'yes',
  };
}

/** A radio's value as a mode (the cap's and the window's have the same three). */
const settingModeOf = (text: string): CapMode =>
  text === 'off' || text === 'own' ? text : 'default';

/**
 * The cap as the API takes it: the own numbers as typed (the API says what is wrong with them),
 * null for none; the default is left out of a create and named in a change.
 */
function capOf(values: CampaignValues, change: boolean) {
  if (values.capMode === 'off') return null;
  if (values.capMode === 'own') {
    const number = (text: string) => (text === '' ? undefined : Number(text));
    return { max: number(values.capMax), days: number(values.capDays) };
  }
  return change ? ('default' as const) : undefined;
}

/**
 * The send window as the API takes it: the own hours as given (the API says what is wrong with
 * them; every day is left out, as the API's default), null for any time; the default is left out
 * of a create and named in a change.
 */
function windowOf(values: CampaignValues, change: boolean) {
  if (values.windowMode === 'off') return null;
  if (values.windowMode === 'own') {
    const deadline = values.windowDeadline;
    return {
      from: values.windowFrom,
      to: values.windowTo,
      ...(values.windowDays.length === WEEKDAYS.length ? {} : { days: values.windowDays }),
      ...(deadline === '' ? {} : { deadlineHours: Number(deadline) }),
    };
  }
  return change ? ('default' as const) : undefined;
}

/** The pattern the form asks for: the preset's, or the one typed. */
export const cronOf = (values: CampaignValues) =>
  values.preset === 'custom' ? values.cron.trim() : values.preset;

/** The schedule as the API takes it, or null for a campaign started by hand. */
export function scheduleOf(values: CampaignValues) {
  if (values.scheduleKind === 'once')
    return values.localTime
      ? { at: values.at, localTime: true, timezone: values.timezone }
      : { at: values.at, timezone: values.timezone };
  if (values.scheduleKind === 'repeat') return { cron: cronOf(values), timezone: values.timezone };
  return null;
}

/** The rate as a number; a field that is no number is the form's own error (before the API). */
export function rateOf(values: CampaignValues): number | null | 'invalid' {
  if (values.rate === '') return null;
  const rate = Number(values.rate.replace(',', '.'));
  return Number.isFinite(rate) ? rate : 'invalid';
}

/**
 * The API's JSON for the campaign: a create leaves out what is empty, a change (PATCH) clears it
 * with null (no schedule makes it a draft again). No sender chosen (one sender, or a paused
 * campaign, which keeps its own) leaves `senderId` out: the default, or the campaign's.
 */
export function apiBody(values: CampaignValues, change: boolean) {
  const empty = change ? null : undefined;
  const rate = rateOf(values);
  return {
    name: values.name,
    templateId: values.templateId,
    listIds: values.listIds,
    ...(values.senderId ? { senderId: values.senderId } : {}),
    schedule: scheduleOf(values) ?? empty,
    ratePerSecond: rate === 'invalid' ? undefined : (rate ?? empty),
    followUp: values.followUp.trim() === '' ? empty : { body: values.followUp },
    frequencyCap: capOf(values, change),
    sendWindow: windowOf(values, change),
    // as typed: the API says what is wrong with it; empty is none
    holdoutPercent: values.holdout === '' ? (change ? 0 : undefined) : Number(values.holdout),
    ...(values.acceptSkips ? { acceptSkips: true } : {}),
  };
}
