import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context';
import { senders } from '../db/schema';
import { AppError } from '../errors';
import { parseCredentials, sealCredentials } from './credentials';
import type { CreateSender, Sender } from './schemas';
import { senderColumns, toSender } from './sender-json';

/** The pace of a new sender that names none: SEND_RATE_PER_SECOND's default. */
export const DEFAULT_SENDER_RATE = 20;

/**
 * A new sending number (docs/design.md, rule 31), its credentials checked for its provider and
 * sealed under SECRETS_KEY (rule 32). A Cloud API number that is another sender's already is a
 * 409 naming the field, also when two requests race for it: the unique index decides.
 */
export async function createSender(ctx: AppContext, input: CreateSender): Promise<Sender> {
  const parsed = parseCredentials(input.provider, input.credentials);
  // The id is made here: the sealed blob is bound to it (credentials-cipher.ts).
  const id = randomUUID();
  const credentials = sealCredentials(ctx.secrets, id, parsed);
  const cloud = parsed.provider === 'cloud-api' ? parsed.credentials : undefined;
  const [row] = await ctx.database.db
    .insert(senders)
    .values({
      id,
      name: input.name,
      provider: input.provider,
      ratePerSecond: input.ratePerSecond ?? DEFAULT_SENDER_RATE,
      messagingLimit24h: input.messagingLimit24h ?? null,
      displayPhoneNumber: input.displayPhoneNumber ?? null,
      phoneNumberId: cloud?.phoneNumberId ?? null,
      businessAccountId: cloud?.businessAccountId ?? null,
      credentials,
    })
    .onConflictDoNothing()
    .returning(senderColumns);
  if (!row) throw numberTaken(cloud?.phoneNumberId ?? '');
  return toSender(row);
}

export function numberTaken(phoneNumberId: string): AppError {
  return new AppError(
    'conflict',
    `The phone number id ${phoneNumberId} is another sender's already.`,
    [{ path: 'credentials.phoneNumberId', message: "is another sender's number" }],
  );
}
