import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const assetsDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const asset = (name: string) => readFileSync(path.join(assetsDir, name));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>WhatsApp broadcast scheduler API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true });`;

/**
 * /docs: Swagger UI served from the swagger-ui-dist package, not a CDN, so the page works on
 * machines without internet access (self-hosted installs often are).
 */
export function docsRoutes(): Hono {
  const css = asset('swagger-ui.css');
  const bundle = asset('swagger-ui-bundle.js');
  const cache = { 'cache-control': 'public, max-age=3600' };
  return new Hono()
    .get('/docs', (c) => c.html(page))
    .get('/docs/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript', ...cache }))
    .get('/docs/swagger-ui.css', (c) => c.body(css, 200, { 'content-type': 'text/css', ...cache }))
    .get('/docs/swagger-ui-bundle.js', (c) =>
      c.body(bundle, 200, { 'content-type': 'text/javascript', ...cache }),
    );
}
