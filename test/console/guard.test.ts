import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { useTestService } from '../helpers/service';

const ts = useTestService();

const open = /^\/(v1|webhooks|healthz|readyz|metrics|docs|openapi\.json|sign-in|assets)(\/|$)/;

describe('every console page', () => {
  it('is closed to a visitor without a session: a GET goes to sign in, a POST is refused', async () => {
    const routes = createApp(ts.service.ctx)
      .routes.filter((route) => route.method === 'GET' || route.method === 'POST')
      .filter((route) => !open.test(route.path) && route.path !== '/')
      .map((route) => ({
        method: route.method,
        path: route.path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, '00000000-0000-4000-8000-000000000000'),
      }));
    expect(routes.length).toBeGreaterThan(5);
    const answers = await Promise.all(
      routes.map(async (route) => {
        const response = await fetch(`${ts.baseUrl}${route.path}`, {
          method: route.method,
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: route.method === 'POST' ? '' : undefined,
        });
        await response.arrayBuffer();
        const location = response.headers.get('location') ?? '';
        return `${route.method} ${route.path} → ${response.status} ${location.split('?')[0]}`;
      }),
    );
    const expected = routes.map((route) =>
      route.method === 'GET'
        ? `${route.method} ${route.path} → 303 /sign-in`
        : `${route.method} ${route.path} → 401 `,
    );
    expect(answers).toEqual(expected);
  });
});
