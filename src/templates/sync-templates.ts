import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { AppContext } from '../context';
import { senders, templateCategory, templateStatus } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { CloudApiProvider } from '../provider/cloud-api';
import type { CloudTemplate } from '../provider/cloud-api-templates';
import { ProviderError } from '../provider/types';
import { senderCredentials } from '../senders/credentials';
import { CredentialsUnreadable } from '../senders/credentials-cipher';
import { authFailedReason, holdSender } from '../sending/hold-sender';
import { type CatalogueRow, disableGoneTemplates, upsertCatalogue } from './queries';
import type { TemplateSync } from './schemas';

/**
 * The most bytes of one template's components stored: Meta's largest (a 1,024-character body,
 * a header, a footer and ten buttons) is a few KiB; one past this is left out as unreadable
 * rather than stored.
 */
export const MAX_COMPONENTS_BYTES = 65_536;

type Status = (typeof templateStatus.enumValues)[number];
type Category = (typeof templateCategory.enumValues)[number];

/**
 * Meta's status in ours (docs/decisions.md, "Templates from Meta"): its five own names as they
 * are; `in_appeal` (a rejection under review again) is `pending`; anything else Meta lists
 * (`archived`, `deleted`, `pending_deletion`, `limit_exceeded`, one it adds later) cannot send,
 * so `disabled`.
 */
export function statusOf(metaStatus: string): Status {
  if ((templateStatus.enumValues as readonly string[]).includes(metaStatus))
    return metaStatus as Status;
  return metaStatus === 'in_appeal' ? 'pending' : 'disabled';
}

function categoryOf(metaCategory: string | null): Category | null {
  return (templateCategory.enumValues as readonly string[]).includes(metaCategory ?? '')
    ? (metaCategory as Category)
    : null;
}

function toRow(template: CloudTemplate): CatalogueRow | undefined {
  if (JSON.stringify(template.components).length > MAX_COMPONENTS_BYTES) return undefined;
  return {
    externalId: template.id,
    name: template.name,
    languageCode: template.language,
    category: categoryOf(template.category),
    status: statusOf(template.status),
    parameterFormat: template.parameterFormat,
    components: template.components,
    quality: template.quality,
  };
}

/**
 * The Cloud API provider of a stored cloud-api sender, for its business account's catalogue:
 * the default sender's credentials come from the environment, another's are opened from its row.
 */
async function catalogueReader(
  ctx: AppContext,
  senderId: string,
): Promise<{ reader: CloudApiProvider; isDefault: boolean }> {
  assertUuid(senderId, 'Sender');
  const [sender] = await ctx.database.db
    .select({
      id: senders.id,
      provider: senders.provider,
      isDefault: senders.isDefault,
      credentials: senders.credentials,
    })
    .from(senders)
    .where(and(eq(senders.id, senderId), isNull(senders.deletedAt)));
  if (!sender) throw AppError.notFound('Sender', senderId);
  if (sender.provider !== 'cloud-api')
    throw new AppError(
      'conflict',
      `sender ${senderId} is a ${sender.provider} sender: only a Cloud API sender's templates come from Meta (templates of other senders are made with POST /v1/templates)`,
    );
  let opened: ReturnType<typeof senderCredentials>;
  try {
    opened = senderCredentials(sender, ctx);
  } catch (error) {
    if (!(error instanceof CredentialsUnreadable)) throw error;
    throw new AppError(
      'conflict',
      `sender ${senderId}'s stored credentials cannot be read (${error.message}): replace them with PATCH /v1/senders/${senderId}`,
    );
  }
  if (opened.provider !== 'cloud-api')
    throw new Error(`sender ${senderId} is cloud-api but its credentials are ${opened.provider}'s`);
  const { accessToken, phoneNumberId, businessAccountId } = opened.credentials;
  const reader = new CloudApiProvider({
    graphApiUrl: ctx.config.GRAPH_API_URL,
    graphApiVersion: ctx.config.GRAPH_API_VERSION,
    accessToken,
    phoneNumberId,
    businessAccountId,
    timeoutMs: ctx.config.PROVIDER_TIMEOUT_SECONDS * 1000,
  });
  return { reader, isDefault: sender.isDefault };
}

/**
 * Meta refused the token itself: an expired or invalid one (code 190), or any 401. Code 0 or 10
 * with a 403 (a permission the token lacks, perhaps only the one to list templates) is not: the
 * number may still send, and the sync answers a plain 502.
 */
function tokenRefused(error: ProviderError): boolean {
  return error.code === 190 || error.status === 401;
}

/**
 * Reads a Cloud API sender's business account's templates from Meta (every page) and stores
 * them, in one transaction: new ones added, changed ones updated (their `parameters` kept),
 * those Meta no longer lists marked `disabled`. Meta unreachable is a 502 and stores nothing.
 * Meta refusing the token (190, or a 401) is a 502 too, and holds an active sender
 * `auth_failed` as a send refused so would (hold-sender.ts): its campaigns wait until the token
 * is replaced. Two syncs of one sender take turns (an advisory lock): the later catalogue is the
 * one kept.
 */
export async function syncTemplates(ctx: AppContext, senderId: string): Promise<TemplateSync> {
  const { reader, isDefault } = await catalogueReader(ctx, senderId);
  let catalogue: Awaited<ReturnType<CloudApiProvider['listTemplates']>>;
  try {
    catalogue = await reader.listTemplates();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (tokenRefused(error)) {
      const reason = authFailedReason({ isDefault, kind: 'cloud-api' }, error.code);
      const held = await holdSender(
        ctx,
        ctx.logger.child({ senderId }),
        senderId,
        'auth_failed',
        reason,
      );
      const fix = isDefault
        ? 'replace WHATSAPP_ACCESS_TOKEN and restart the service'
        : `replace its token with PATCH /v1/senders/${senderId} {"credentials": …}`;
      throw new AppError(
        'provider_failed',
        `Meta refused sender ${senderId}'s access token (${error.message}), no template was changed: ${held ? 'the sender is now auth_failed and sends nothing until fixed' : 'the sender was not active, and stays as it was'}; ${fix}`,
      );
    }
    throw new AppError(
      'provider_failed',
      `Meta's template catalogue could not be read, nothing was changed: ${error.message}`,
    );
  }
  // One row per id: a catalogue that changed while it was paged may list one twice.
  const byId = new Map<string, CatalogueRow>();
  let unreadable = catalogue.unreadable;
  for (const template of catalogue.templates) {
    const row = toRow(template);
    if (row) byId.set(row.externalId, row);
    else unreadable++;
  }
  const rows = [...byId.values()];
  const stored = await transaction(ctx.database, async (tx) => {
    await tx.sql`select pg_advisory_xact_lock(hashtext(${`template-sync:${senderId}`}))`;
    const counts = await upsertCatalogue(tx.sql, senderId, rows);
    const gone = await disableGoneTemplates(
      tx.sql,
      senderId,
      rows.map((row) => row.externalId),
    );
    return { ...counts, gone };
  });
  return { synced: rows.length, ...stored, unreadable };
}

/**
 * The hourly sync (template-sync.job.ts): every Cloud API sender that is not auth_failed, one
 * after another; one that fails is logged and the others go on. Logs each sender's counts.
 */
export async function syncEverySender(ctx: AppContext): Promise<void> {
  const cloudSenders = await ctx.database.db
    .select({ id: senders.id })
    .from(senders)
    .where(
      and(
        eq(senders.provider, 'cloud-api'),
        ne(senders.status, 'auth_failed'),
        isNull(senders.deletedAt),
      ),
    )
    .orderBy(asc(senders.createdAt));
  for (const sender of cloudSenders) {
    if (ctx.stopping.aborted) return;
    try {
      const counts = await syncTemplates(ctx, sender.id);
      ctx.logger.info({ senderId: sender.id, ...counts }, 'templates synced from Meta');
    } catch (error) {
      ctx.logger.warn(
        { senderId: sender.id, err: error },
        'templates could not be synced from Meta; trying again at the next sync',
      );
    }
  }
}
