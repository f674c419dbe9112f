import { Hono } from 'hono';
import type { ConsoleDeps } from '../deps';
import { showNewTemplate, submitNewTemplate } from './form-page';
import { showTemplateList } from './list-page';
import { showTemplate } from './template-page';

/**
 * The Templates area (docs/console.md, pages 3): the list, a new template with its placeholders
 * explained and a live preview for a contact, and a saved template's page.
 */
export function templatePages(deps: ConsoleDeps) {
  return new Hono()
    .get('/templates', (c) => showTemplateList(deps, c))
    .get('/templates/new', (c) => showNewTemplate(deps, c))
    .post('/templates/new', (c) => submitNewTemplate(deps, c))
    .get('/templates/:id', (c) => showTemplate(deps, c));
}
