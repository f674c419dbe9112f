import { eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { templates } from '../db/schema';
import type { Builder, Tx } from '../db/transaction';
import { AppError } from '../errors';
import { sendParameters } from '../templates/component-parameters';
import { type AudienceFigures, audienceFigures } from './audience-figures';

/** `12,345`: counts in warnings and problems. */
export const count = (n: number) => n.toLocaleString('en-US');

/** `part` as a percentage of `whole`, to one decimal (0 of nothing is 0). */
export function sharePercent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/** `13%`, `10.4%`, `<0.1%`: precise enough to see which side of a threshold a share is on. */
export function percentOf(part: number, whole: number): string {
  const percent = sharePercent(part, whole);
  return percent === 0 && part > 0 ? '<0.1%' : `${percent}%`;
}

/**
 * What the audience loses to one missing attribute, in words. `attribute` may also be a whole
 * reason of the provider's rules (`parameter 2: a line break, …`: templates/provider-rules.ts).
 */
export function skipWarning(attribute: string, skipped: number, audience: number): string {
  const one = skipped === 1;
  const share = `${count(skipped)} ${one ? 'contact' : 'contacts'} (${percentOf(skipped, audience)})`;
  const they = one ? 'it will be skipped' : 'they will be skipped';
  if (attribute === '(none)') return `${share} would get a blank parameter: ${they}`;
  if (/^parameter \d+: /.test(attribute)) return `${share} would get ${attribute}: ${they}`;
  return `${share} ${one ? 'has' : 'have'} no "${attribute}" and no fallback: ${they}`;
}

/** What the audience loses to each missing attribute, in words, the largest loss first. */
export function skipWarnings(
  figures: Pick<AudienceFigures, 'skippedByAttribute' | 'audience'>,
): string[] {
  return Object.entries(figures.skippedByAttribute)
    .sort(([, a], [, b]) => b - a)
    .map(([attribute, skipped]) => skipWarning(attribute, skipped, figures.audience));
}

/**
 * Why starting or scheduling needs `{"acceptSkips": true}`: more than MAX_SKIPPED_PERCENT of the
 * audience would be skipped. Undefined when it does not.
 */
export function tooManySkips(figures: AudienceFigures, maxPercent: number): string | undefined {
  if (figures.skipped * 100 <= figures.audience * maxPercent) return undefined;
  const reasons = skipWarnings(figures);
  return `${count(figures.skipped)} of ${count(figures.audience)} recipients (${percentOf(figures.skipped, figures.audience)}) would be skipped, more than MAX_SKIPPED_PERCENT (${maxPercent}%): ${reasons.join('; ')}`;
}

/** A template's parameter texts in the order the renderers take them (sendParameters). */
export async function templateParameters(db: Builder, templateId: string): Promise<string[]> {
  const [template] = await db
    .select({
      parameters: templates.parameters,
      parameterFormat: templates.parameterFormat,
      components: templates.components,
      componentParameters: templates.componentParameters,
    })
    .from(templates)
    .where(eq(templates.id, templateId));
  if (!template) throw new Error(`template ${templateId} vanished`);
  return sendParameters(template);
}

/**
 * The check a person's launch passes (start, or a request that leaves the campaign scheduled):
 * a 409 `too_many_skips` naming the missing attributes, unless `acceptSkips`. Run inside the
 * caller's transaction, after its references were checked.
 */
export async function assertSkipsAccepted(
  ctx: AppContext,
  tx: Tx,
  campaign: { id?: string; templateId: string; listIds: string[] },
  action: 'start' | 'schedule' | 'resume',
  acceptSkips: boolean | undefined,
): Promise<void> {
  if (acceptSkips) return;
  const parameters = await templateParameters(tx.db, campaign.templateId);
  const figures = await audienceFigures(
    tx,
    campaign.listIds,
    parameters,
    ctx.config.TEMPLATE_PARAMETER_MAX_CHARS,
  );
  const problem = tooManySkips(figures, ctx.config.MAX_SKIPPED_PERCENT);
  if (!problem) return;
  const what = campaign.id ? `campaign ${campaign.id}` : 'the campaign';
  throw new AppError(
    'too_many_skips',
    `cannot ${action} ${what}: ${problem}. Give the placeholders a fallback ({{city|there}}) or fill the attributes, or send {"acceptSkips": true} to ${action} it anyway (GET /v1/campaigns/{id}/preview shows who)`,
  );
}
