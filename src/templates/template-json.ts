import type { templates } from '../db/schema';
import { componentSlots } from './component-parameters';
import type { Template } from './schemas';

export function toTemplate(row: typeof templates.$inferSelect): Template {
  const slots = componentSlots(row);
  return {
    id: row.id,
    name: row.name,
    namespace: row.namespace,
    language: { code: row.languageCode, policy: row.languagePolicy },
    category: row.category,
    parameters: row.parameters,
    senderId: row.senderId,
    status: row.status,
    parameterFormat: row.parameterFormat,
    components: row.components,
    headerParameter: row.componentParameters.header ?? null,
    buttonParameters: row.componentParameters.buttons ?? [],
    componentSlots: { header: slots.header ?? null, buttons: slots.buttons },
    quality: row.quality,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}
