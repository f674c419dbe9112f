import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import { auditEvents } from '../db/schema';

export type AuditEntry = {
  /** `campaign.start`, `user.sign_in`: `<target type>.<verb>`. */
  action: string;
  target: { type: string; id?: string | null };
  /** A few fields that name the change; never a password, a token or a message's text. */
  detail?: Record<string, unknown>;
};

/** Whoever did it, or `anonymous` for a failed sign-in (the email tried is in `email`). */
export type AuditActor = Actor | { kind: 'anonymous'; email?: string };

/** Writes one line of the audit trail (docs/design.md, rule 30). */
export async function recordAudit(
  ctx: AppContext,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  const who =
    actor.kind === 'machine'
      ? {}
      : actor.kind === 'anonymous'
        ? { email: actor.email?.slice(0, 254) }
        : {
            userId: actor.user.id,
            email: actor.user.email,
            ...(actor.kind === 'token' ? { tokenId: actor.tokenId } : {}),
          };
  await ctx.database.db.insert(auditEvents).values({
    actorKind: actor.kind,
    ...who,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id?.slice(0, 200) ?? null,
    detail: entry.detail ?? {},
  });
}
