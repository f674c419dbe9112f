import { eq } from 'drizzle-orm';
import { senders, templates } from '../db/schema';
import type { Builder } from '../db/transaction';
import { AppError } from '../errors';
import { parametersProblems } from '../templates/body-parameters';
import { componentParametersProblems } from '../templates/component-parameters';

/**
 * Why a run of this campaign cannot send its template through its sender (docs/design.md,
 * rule 33), or undefined when it can:
 * - a template synced from Meta sends only through a Cloud API sender of the business account it
 *   was read from (another account does not have it): `template_not_approved`;
 * - a template that is not `approved` (Meta's review, its pause or its disabling; one made by
 *   hand is approved): `template_not_approved`, naming the status;
 * - parameters that do not fit the body (a synced template's start unset, or Meta's body changed
 *   since they were set): `template_parameters_unset`.
 * Asked by a start (a 409) and by each firing of a schedule (the campaign pauses with it).
 */
export async function templateProblem(
  db: Builder,
  campaign: { templateId: string; senderId: string },
): Promise<AppError | undefined> {
  const [template] = await db.select().from(templates).where(eq(templates.id, campaign.templateId));
  if (!template) throw new Error(`template ${campaign.templateId} vanished`);
  const what = `template "${template.name}" (${template.languageCode})`;
  if (template.senderId !== null) {
    const ours = await accountOf(db, campaign.senderId);
    const theirs = await accountOf(db, template.senderId);
    const sameAccount =
      ours?.provider === 'cloud-api' &&
      ours.businessAccountId !== null &&
      ours.businessAccountId === theirs?.businessAccountId;
    if (!sameAccount) {
      return new AppError(
        'template_not_approved',
        `${what} was read from business account ${theirs?.businessAccountId ?? '(unknown)'}, and sender ${campaign.senderId} ${ours?.provider === 'cloud-api' ? `sends for business account ${ours.businessAccountId ?? '(none)'}` : `is a ${ours?.provider ?? 'deleted'} sender`}: Meta approved it for that account only. Choose a template synced from this sender's account (POST /v1/senders/${campaign.senderId}/templates/sync), or the sender it came from`,
      );
    }
  }
  if (template.status !== 'approved') {
    return new AppError(
      'template_not_approved',
      `${what} is ${template.status} at Meta, not approved: a campaign sends only an approved template. Sync the sender's templates once Meta has approved it again, or choose another`,
    );
  }
  const problems = parametersProblems(template, template.parameters);
  if (problems.length > 0) {
    return new AppError(
      'template_parameters_unset',
      `${what}'s parameters do not fit its body (${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}): set them with PATCH /v1/templates/${template.id} {"parameters": …}`,
    );
  }
  const components = componentParametersProblems(template, template.componentParameters, true);
  if (components.length > 0) {
    return new AppError(
      'template_parameters_unset',
      `${what}'s header or buttons are not filled (${components.map((p) => `${p.path}: ${p.message}`).join('; ')}): set them with PATCH /v1/templates/${template.id} {"headerParameter": …, "buttonParameters": [{"index": …, "value": …}]}`,
    );
  }
  return undefined;
}

/** The same check where a refusal is the answer: a start, a 409 problem. */
export async function assertTemplateSendable(
  db: Builder,
  campaign: { templateId: string; senderId: string },
): Promise<void> {
  const problem = await templateProblem(db, campaign);
  if (problem) throw problem;
}

async function accountOf(db: Builder, senderId: string) {
  const [sender] = await db
    .select({ provider: senders.provider, businessAccountId: senders.businessAccountId })
    .from(senders)
    .where(eq(senders.id, senderId));
  return sender;
}
