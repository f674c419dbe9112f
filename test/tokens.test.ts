// Personal API tokens: made by a user for themselves, shown once, stored as a digest, bounded
// per user, and dead the moment they are revoked.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiTokens } from '../src/db/schema';
import { api, type Json } from './helpers/api';
import { useTestService } from './helpers/service';
import { createTestUser, sessionOf, userWithToken } from './helpers/users';

const t = useTestService({ env: { ROLE: 'api' } });

const tokensOf = (userId: string) =>
  t.service.ctx.database.db.select().from(apiTokens).where(eq(apiTokens.userId, userId));

describe('creating a personal token', () => {
  it('answers the token once, keeps only its digest, and the token acts as its user', async () => {
    const user = await createTestUser(t, 'marketer');
    const session = await sessionOf(t, user);
    const created = await api(t, session).post('/v1/tokens', { name: ' deploy script ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'deploy script',
      token: expect.stringMatching(/^wbt_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const token = String(created.body.token);
    const [row] = await tokensOf(user.id);
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));

    const me = await api(t, { token }).get('/v1/me');
    expect(me.body).toMatchObject({ kind: 'token', user: { id: user.id } });
    // the list names it, never shows it again, and says when it was used
    const listed = await api(t, session).get('/v1/tokens');
    expect(listed.body).toEqual({
      data: [
        {
          id: created.body.id,
          name: 'deploy script',
          createdAt: created.body.createdAt,
          lastUsedAt: expect.any(String),
        },
      ],
    });
  });

  it('lists the caller their own tokens only', async () => {
    const ann = await userWithToken(t, 'analyst');
    const ben = await userWithToken(t, 'analyst');
    await api(t, ann.as).post('/v1/tokens', { name: 'second' });
    const annList = (await api(t, ann.as).get('/v1/tokens')).body.data as Json[];
    const benList = (await api(t, ben.as).get('/v1/tokens')).body.data as Json[];
    expect(annList.map((x) => x.name)).toEqual(['second', 'test']);
    expect(benList.map((x) => x.name)).toEqual(['test']);
  });

  it('refuses a name out of 1–100 characters with a 422', async () => {
    const { as, id } = await userWithToken(t, 'analyst');
    for (const name of ['', '   ', 'n'.repeat(101), 42]) {
      const response = await api(t, as).post('/v1/tokens', { name });
      expect(response.status, JSON.stringify(name)).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    }
    expect((await api(t, as).post('/v1/tokens', {})).status).toBe(422);
    expect((await api(t, as).post('/v1/tokens', { name: 'n'.repeat(100) })).status).toBe(201);
    expect(await tokensOf(id)).toHaveLength(2);
  });

  it('is a 409 for the machine token, which has no user; its list is empty', async () => {
    const response = await api(t).post('/v1/tokens', { name: 'machine' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'conflict' });
    expect(response.body.detail).toMatch(/belong to users/);
    expect((await api(t).get('/v1/tokens')).body).toEqual({ data: [] });
  });
});

describe('revoking a token', () => {
  it('stops it at once; revoking it again is a 404', async () => {
    const user = await createTestUser(t, 'marketer');
    const session = await sessionOf(t, user);
    const created = await api(t, session).post('/v1/tokens', { name: 'short-lived' });
    const token = { token: String(created.body.token) };
    expect((await api(t, token).get('/v1/lists')).status).toBe(200);
    expect((await api(t, token).delete(`/v1/tokens/${created.body.id}`)).status).toBe(204);
    const after = await api(t, token).get('/v1/lists');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'unauthorized' });
    const again = await api(t, session).delete(`/v1/tokens/${created.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe(`Token ${created.body.id} does not exist`);
  });

  it("is a 404 on another user's token, unless an admin asks", async () => {
    const owner = await userWithToken(t, 'marketer');
    const other = await userWithToken(t, 'marketer');
    const [row] = await tokensOf(owner.id);
    expect((await api(t, other.as).delete(`/v1/tokens/${row?.id}`)).status).toBe(404);
    expect((await api(t, owner.as).get('/v1/me')).status).toBe(200);
    const admin = await userWithToken(t, 'admin');
    expect((await api(t, admin.as).delete(`/v1/tokens/${row?.id}`)).status).toBe(204);
    expect((await api(t, owner.as).get('/v1/me')).status).toBe(401);
  });
});

describe('a token acts with its user role of the moment', () => {
  it('writes once its analyst becomes a marketer', async () => {
    const user = await userWithToken(t, 'analyst');
    expect((await api(t, user.as).post('/v1/lists', { name: 'x' })).status).toBe(403);
    await api(t).patch(`/v1/users/${user.id}`, { role: 'marketer' });
    expect((await api(t, user.as).post('/v1/lists', { name: 'x' })).status).toBe(201);
  });
});

describe('TOKENS_PER_USER_MAX', () => {
  const s = useTestService({ env: { ROLE: 'api', TOKENS_PER_USER_MAX: '2' } });

  it('refuses one token more with a 409 until the user revokes one', async () => {
    const user = await userWithToken(s, 'analyst');
    expect((await api(s, user.as).post('/v1/tokens', { name: 'two' })).status).toBe(201);
    const third = await api(s, user.as).post('/v1/tokens', { name: 'three' });
    expect(third.status).toBe(409);
    expect(third.body.detail).toMatch(/TOKENS_PER_USER_MAX \(2\)/);
    const [newest] = (await api(s, user.as).get('/v1/tokens')).body.data as Json[];
    expect((await api(s, user.as).delete(`/v1/tokens/${newest?.id}`)).status).toBe(204);
    expect((await api(s, user.as).post('/v1/tokens', { name: 'three' })).status).toBe(201);
    // several at once cannot pass the count together
    const another = await createTestUser(s, 'analyst');
    const session = await sessionOf(s, another);
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => api(s, session).post('/v1/tokens', { name: `t${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
  });
});
