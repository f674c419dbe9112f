import { Hono } from 'hono';
import type { ConsoleDeps } from '../deps';
import {
  showEditCampaign,
  showNewCampaign,
  submitEditCampaign,
  submitNewCampaign,
} from './form-page';
import { showLaunch, showLaunchFigures, submitLaunch } from './launch-page';

/**
 * A campaign's form and its launch preview (docs/console.md, pages 4): new campaign, change one,
 * then see what its next run would do and start it. Mounted before the campaigns' own pages, so
 * `/campaigns/new` is this form and not a campaign's id.
 */
export function campaignFormPages(deps: ConsoleDeps) {
  return new Hono()
    .get('/campaigns/new', (c) => showNewCampaign(deps, c))
    .post('/campaigns/new', (c) => submitNewCampaign(deps, c))
    .get('/campaigns/:id/edit', (c) => showEditCampaign(deps, c))
    .post('/campaigns/:id/edit', (c) => submitEditCampaign(deps, c))
    .get('/campaigns/:id/launch', (c) => showLaunch(deps, c))
    .get('/campaigns/:id/launch/figures', (c) => showLaunchFigures(deps, c))
    .post('/campaigns/:id/launch', (c) => submitLaunch(deps, c));
}
