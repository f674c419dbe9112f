import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';

/**
 * The console's stylesheet, scripts and icon: plain files in src/console/assets, read once at
 * start (there is no build step; nothing comes from a CDN). Each is served under a path that
 * holds its content's hash, so browsers keep it for a year and a new release is fetched at once.
 */
type Asset = { body: string; type: string; hash: string };

const folder = path.join(import.meta.dirname, 'assets');
const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const assets: ReadonlyMap<string, Asset> = new Map(
  readdirSync(folder)
    .filter((name) => types[path.extname(name)])
    .map((name) => {
      const body = readFileSync(path.join(folder, name), 'utf8');
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      return [name, { body, type: types[path.extname(name)] ?? 'text/plain', hash }];
    }),
);

/** The versioned URL of an asset; a missing file is a programming error, found by the tests. */
export function assetPath(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`No console asset named ${name}`);
  return `/assets/${asset.hash}/${name}`;
}

export function assetRoutes() {
  return new Hono().get('/assets/:hash/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header(
      'Cache-Control',
      asset.hash === c.req.param('hash') ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return c.body(asset.body);
  });
}
