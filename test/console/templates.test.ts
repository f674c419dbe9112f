// The Templates area: the empty state, a template written with its live preview for a contact of
// a list (fallbacks shown), the preview without JavaScript, and what an analyst may not do.
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api';
import { createList, importCsv } from '../helpers/audience';
import { expectAccessible, useConsole } from '../helpers/console';
import { fitsWidth, withoutScripts } from '../helpers/layout';

const ts = useConsole();
let marketer: { email: string; password: string };
let analyst: { email: string; password: string };

beforeAll(async () => {
  marketer = await ts.createUser('marketer', 'Mia Marketer');
  analyst = await ts.createUser('analyst', 'Ann Analyst');
});

/** A template and a list of its own, made through the API; answers the template's id. */
async function templateWithList(name: string): Promise<string> {
  const listId = await createList(ts, `${name} list`);
  await importCsv(ts, listId, 'phone,first_name\n+4915112349001,Anna\n');
  const created = await api(ts).post('/v1/templates', {
    name,
    namespace: 'ns_1',
    language: { code: 'en' },
    parameters: ['Hi {{first_name|there}}!'],
  });
  expect(created.status).toBe(201);
  return String(created.body.id);
}

const templateCount = async () =>
  ((await api(ts).get('/v1/templates?limit=1000')).body.data as unknown[]).length;

describe('templates in the console', () => {
  it('starts from an empty state, then writes a template whose preview follows the typing, with fallbacks', async () => {
    const { page } = await ts.open({ who: marketer });
    await page.goto('/templates');
    await page.getByRole('heading', { name: 'No templates yet' }).waitFor();
    await page.getByText('Create your first template').waitFor();
    await expectAccessible(page);

    const listId = await createList(ts, 'Spring customers');
    await importCsv(
      ts,
      listId,
      'phone,first_name,city\n+4915112345001,Anna,Berlin\n+4915112345002,Ben,\n',
    );
    await page.getByRole('link', { name: 'New template' }).click();
    await page.waitForURL('**/templates/new');
    // the placeholder syntax is explained in place, and the list's columns are offered
    await page.locator('summary', { hasText: 'How placeholders work' }).waitFor();
    const panel = page.locator('[data-template-preview]');
    await panel.getByText('{{city}}').waitFor();
    await panel.getByText('{{first_name}}').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Template name').fill('spring_sale');
    await page.getByLabel('Namespace').fill('ns_1');
    await page
      .getByLabel('Contact', { exact: true })
      .selectOption({ label: 'Ben · +4915112345002' });
    const output = page.locator('[data-preview-output]');
    await page.getByLabel('Parameter {{1}}', { exact: true }).fill('Hi {{first_name|there}}!');
    await output.getByText('Hi Ben!').waitFor();
    await page.getByLabel('Parameter {{2}}', { exact: true }).fill('{{city|your city}}');
    // Ben has no city: the fallback is shown, marked as one
    await output.locator('mark.piece-fallback', { hasText: 'your city' }).waitFor();
    await output.getByText('Missing for this contact: city.').waitFor();
    await output.getByText('This contact would be sent this message.').waitFor();
    // a field appeared after the last one written; a placeholder half typed is an error beside it
    const third = page.getByLabel('Parameter {{3}}', { exact: true });
    await third.pressSequentially('{{first', { delay: 20 });
    await page.locator('#f-parameters-2-error').getByText('without a closing').waitFor();
    await output.getByText(/Not valid: .* without a closing/).waitFor();
    await third.fill('{{city}}');
    await output
      .getByText(
        /This contact would be skipped, not sent a broken message: missing attribute "city"/,
      )
      .waitFor();
    expect(await page.locator('#f-parameters-2-error').count()).toBe(0);
    await third.fill('');
    // Anna has both: the preview changes with the contact
    await page
      .getByLabel('Contact', { exact: true })
      .selectOption({ label: 'Anna · +4915112345001' });
    await output.getByText('Hi Anna!').waitFor();
    await output.locator('mark.piece-value', { hasText: 'Berlin' }).waitFor();

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}\?done=created$/);
    await page.getByText('The template is saved').waitFor();
    await page.locator('[data-preview-output]').getByText('Hi Anna!').waitFor();
    await expectAccessible(page);
    const saved = (await api(ts).get('/v1/templates')).body.data as Record<string, unknown>[];
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      name: 'spring_sale',
      namespace: 'ns_1',
      language: { code: 'en', policy: 'deterministic' },
      parameters: ['Hi {{first_name|there}}!', '{{city|your city}}'],
    });

    await page.goto('/templates');
    await page.getByRole('link', { name: 'spring_sale' }).waitFor();
    await page.getByText('{{1}} Hi {{first_name|there}}! · {{2}} {{city|your city}}').waitFor();
    await expectAccessible(page);
  });

  it('shows the errors the API finds beside their fields, and keeps what was typed', async () => {
    const { page } = await ts.open({ who: marketer });
    const before = await templateCount();
    await page.goto('/templates/new');
    await page.getByLabel('Template name').fill('gaps');
    await page.getByLabel('Namespace').fill('ns_1');
    await page.getByLabel('Parameter {{1}}', { exact: true }).fill('Hello');
    await page.getByLabel('Parameter {{3}}', { exact: true }).fill('{{name}}');
    // Enter in a field saves (the form's first button is Save)
    await page.getByLabel('Namespace').press('Enter');
    const summary = page.getByRole('alert');
    await summary.getByText('Parameter {{2}}: must not be blank').waitFor();
    await page.locator('#f-parameters-1-error').getByText('must not be blank').waitFor();
    expect(await page.getByLabel('Parameter {{3}}', { exact: true }).inputValue()).toBe('{{name}}');
    expect(await templateCount()).toBe(before);
    await expectAccessible(page);
  });

  it('renders the preview on the server with the Preview button when JavaScript is off', async () => {
    const listId = await createList(ts, 'Without scripts');
    await importCsv(ts, listId, 'phone,first_name,city\n+4915112349002,Ben,\n');
    await withoutScripts(ts, marketer, async (page) => {
      await page.goto('/templates/new');
      await page.getByLabel('List', { exact: true }).selectOption({ label: 'Without scripts (1)' });
      await page
        .getByLabel('Parameter {{1}}', { exact: true })
        .fill('{{city}} and {{first_name|you}}');
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      const output = page.locator('[data-preview-output]');
      await output.getByText('no city').waitFor();
      await output
        .getByText(
          'This contact would be skipped, not sent a broken message: missing attribute "city".',
        )
        .waitFor();
      // what was typed and chosen survives the round trip
      expect(await page.getByLabel('Parameter {{1}}', { exact: true }).inputValue()).toBe(
        '{{city}} and {{first_name|you}}',
      );
      await page
        .getByLabel('Contact', { exact: true })
        .getByText('Ben · +4915112349002')
        .waitFor({ state: 'attached' });
    });
  });

  it('shows what a synced template’s header and buttons are filled with, read only', async () => {
    const id = await templateWithList('header_and_buttons');
    // as a sync and a PATCH leave them (the API's tests make them so through a fake Graph API)
    const components = [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hi {{1}}' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Track', url: 'https://shop.example/o/{{1}}' },
          { type: 'QUICK_REPLY', text: 'Stop' },
          { type: 'COPY_CODE', example: 'SAVE10' },
        ],
      },
    ];
    await ts.service.ctx.database.sql`
      update templates set components = ${JSON.stringify(components)}::jsonb,
        component_parameters = ${JSON.stringify({
          header: 'https://cdn.example/{{image|spring}}.png',
          buttons: [{ index: 0, value: '{{order}}' }],
        })}::jsonb
      where id = ${id}`;
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/templates/${id}`);
    await page.getByRole('heading', { name: 'Header and buttons' }).waitFor();
    const list = page.locator('ul.parameter-list');
    await list.getByText('https://cdn.example/{{image|spring}}.png').waitFor();
    await list.getByText('Header image link').waitFor();
    expect(await list.locator('li').allInnerTexts()).toEqual([
      'Header image link https://cdn.example/{{image|spring}}.png',
      "Button 1 (the link's end) {{order}}",
      "Button 2 (the reply's payload) optional, not set",
      'Button 3 (the code to copy) not set',
    ]);
    await expectAccessible(page);
  });

  it('reads well at 375 px', async () => {
    const id = await templateWithList('narrow_screen');
    const { page } = await ts.open({ who: marketer, width: 375 });
    for (const path of ['/templates', '/templates/new', `/templates/${id}`]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await fitsWidth(page), path).toBe(true);
    }
  });

  it('gives an analyst the templates and their preview, without New template, and refuses a forged form', async () => {
    await templateWithList('for_analysts');
    const { page } = await ts.open({ who: analyst });
    await page.goto('/templates');
    await page.getByRole('link', { name: 'for_analysts' }).click();
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    await page.locator('[data-preview-output]').getByText('Hi Anna!').waitFor();
    expect(await page.getByRole('link', { name: 'Use in a new campaign' }).count()).toBe(0);
    await expectAccessible(page);
    await page.goto('/templates');
    expect(await page.getByRole('link', { name: 'New template' }).count()).toBe(0);

    const before = await templateCount();
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.request.get('/templates/new')).status()).toBe(403);
    const forged = await page.request.post('/templates/new', {
      form: { _csrf: csrf, name: 'forged', namespace: 'ns', 'language.code': 'en', intent: 'save' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('You cannot do this');
    expect(await templateCount()).toBe(before);
    // the preview writes nothing: the analyst's session may ask for it
    const preview = await page.request.post('/v1/templates/preview', {
      headers: { 'x-csrf-token': csrf },
      data: { parameters: ['{{first_name|friend}}'] },
    });
    expect(preview.status()).toBe(200);
  });
});
