import { z } from '@hono/zod-openapi';
import { userRole } from '../db/schema';
import { Page } from '../http/pagination';

export const RoleName = z.enum(userRole.enumValues).openapi({
  description:
    'admin: everything; marketer: read and write, but no users, audit, settings or opting a phone back in; analyst: read and export only',
});

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleName,
    disabled: z.boolean(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('User');
export type User = z.infer<typeof User>;

export const UserPage = Page(User).openapi('UserPage');
export type UserPage = z.infer<typeof UserPage>;

const name = z.string().trim().min(1).max(200);
const password = z
  .string()
  .min(12, 'must be at least 12 characters long')
  .max(200, 'must be at most 200 characters long');

export const CreateUser = z
  .object({
    email: z.email().max(254).openapi({ description: 'stored lower-cased; one account each' }),
    name,
    role: RoleName,
    password,
  })
  .openapi('CreateUser');
export type CreateUser = z.infer<typeof CreateUser>;

/** Strict: a field this cannot change (`email`) is refused, not silently dropped. */
export const UpdateUser = z
  .strictObject({
    name: name.optional(),
    role: RoleName.optional(),
    password: password
      .optional()
      .openapi({ description: "a new password: ends the user's sessions" }),
    disabled: z.boolean().optional().openapi({
      description: 'a disabled user cannot sign in and their sessions and tokens stop working',
    }),
  })
  .openapi('UpdateUser');
export type UpdateUser = z.infer<typeof UpdateUser>;

export const Me = z
  .object({
    kind: z.enum(['user', 'token', 'machine']).openapi({
      description: 'user: a console session; token: a personal token; machine: API_TOKEN',
    }),
    role: RoleName,
    user: User.optional().openapi({ description: 'absent for the machine token' }),
  })
  .openapi('Me');
export type Me = z.infer<typeof Me>;

export const CreateToken = z
  .object({ name: z.string().trim().min(1).max(100).openapi({ example: 'reporting script' }) })
  .openapi('CreateToken');
export type CreateToken = z.infer<typeof CreateToken>;

export const NewToken = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z
      .string()
      .openapi({ description: 'shown in this answer only; only its digest is kept' }),
    createdAt: z.string(),
  })
  .openapi('NewToken');
export type NewToken = z.infer<typeof NewToken>;

export const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'to the minute' }),
  })
  .openapi('Token');
export type Token = z.infer<typeof Token>;

export const TokenList = z.object({ data: z.array(Token) }).openapi('TokenList');
export type TokenList = z.infer<typeof TokenList>;
