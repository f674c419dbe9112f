import type { AppContext } from '../context';
import { templates } from '../db/schema';
import type { CreateTemplate, Template } from './schemas';
import { toTemplate } from './template-json';

export async function createTemplate(ctx: AppContext, input: CreateTemplate): Promise<Template> {
  const [row] = await ctx.database.db
    .insert(templates)
    .values({
      name: input.name,
      namespace: input.namespace,
      languageCode: input.language.code,
      languagePolicy: input.language.policy,
      category: input.category ?? null,
      parameters: input.parameters ?? [],
    })
    .returning();
  if (!row) throw new Error('insert into templates returned no row');
  return toTemplate(row);
}
