import { type Context, Hono } from 'hono';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { readForm } from '../ui/form-data';
import { TokensPage, type TokenView } from './tokens';

/** A person's own account: their personal API tokens, whatever their role. */
export function accountPages(deps: ConsoleDeps) {
  const tokens = async (c: Context) => {
    const answer = await callApi<{ data: TokenView[] }>(deps.api, c, 'GET', '/v1/tokens');
    return answer.ok ? answer.data.data : [];
  };
  return new Hono()
    .get('/account', async (c) =>
      c.html(
        <TokensPage
          c={c}
          tokens={await tokens(c)}
          errors={{}}
          notice={
            c.req.query('done') ? 'The token was revoked: it stopped working at once.' : undefined
          }
        />,
      ),
    )
    .post('/account/tokens', async (c) => {
      const form = await readForm(c);
      const name = form.text('name').trim();
      const answer = await callApi<{ name: string; token: string }>(
        deps.api,
        c,
        'POST',
        '/v1/tokens',
        { name },
      );
      if (!answer.ok) {
        return c.html(
          <TokensPage
            c={c}
            tokens={await tokens(c)}
            errors={errorsByField(answer.problem)}
            message={answer.problem.detail}
          />,
        );
      }
      // Shown on this answer only: a redirect would have to carry the token in a URL.
      return c.html(
        <TokensPage c={c} tokens={await tokens(c)} created={answer.data} errors={{}} />,
      );
    })
    .post('/account/tokens/:tokenId/revoke', async (c) => {
      const answer = await callApi(
        deps.api,
        c,
        'DELETE',
        `/v1/tokens/${encodeURIComponent(c.req.param('tokenId'))}`,
      );
      if (!answer.ok) {
        return c.html(
          <TokensPage c={c} tokens={await tokens(c)} errors={{}} message={answer.problem.detail} />,
        );
      }
      return c.redirect('/account?done=revoked', 303);
    });
}
