import { z } from '@hono/zod-openapi';

/** The provider's verticals (docs/design.md, rule 26); empty clears it. */
export const VERTICALS = [
  '',
  'Automotive',
  'Beauty, Spa and Salon',
  'Clothing and Apparel',
  'Education',
  'Entertainment',
  'Event Planning and Service',
  'Finance and Banking',
  'Food and Grocery',
  'Public Service',
  'Hotel and Lodging',
  'Medical and Health',
  'Non-profit',
  'Professional Services',
  'Shopping and Retail',
  'Travel and Transportation',
  'Restaurant',
  'Other',
] as const;

export const ProfileUpdate = z
  .strictObject({
    address: z.string().max(256).optional(),
    description: z.string().max(256).optional(),
    email: z.union([z.literal(''), z.email()]).optional(),
    vertical: z.enum(VERTICALS).optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'name at least one field to change')
  .openapi('ProfileUpdate');
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;

export const Profile = z.record(z.string(), z.unknown()).openapi('Profile');
