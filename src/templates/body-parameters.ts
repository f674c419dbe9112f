import type { templates } from '../db/schema';
import type { FieldError } from '../errors';

type TemplateRow = typeof templates.$inferSelect;

/**
 * How a template's body parameters are filled per contact (docs/design.md, rules 5 and 33): in order for
 * a positional template (`["{{first_name|there}}", "{{city}}"]`), by name for a named one
 * (`{"first_name": "{{first_name|there}}"}`). Each value is a text with placeholders.
 */
export type TemplateParameters = string[] | Record<string, string>;

/** What Meta's body asks for: `{{1}}`… `{{count}}`, or these names in their first order. */
export type BodyParameters =
  | { format: 'positional'; count: number }
  | { format: 'named'; names: string[] };

// Meta's names: lower-case letters, digits and underscores, starting with a letter or underscore.
const NAMED = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
const POSITIONAL = /\{\{\s*([0-9]{1,3})\s*\}\}/g;

/** The text of the BODY component of Meta's components, or undefined without one. */
function bodyText(components: Record<string, unknown>[]): string | undefined {
  const body = components.find(
    (component) => String(component.type ?? '').toUpperCase() === 'BODY',
  );
  return typeof body?.text === 'string' ? body.text : undefined;
}

/**
 * The body parameters a synced template's components ask for; undefined for a template made by
 * hand (no components: the service never saw its body, so any list in order is taken, as
 * before templates were synced). A positional body asks for as many as its highest `{{n}}`.
 */
export function bodyParameters(
  template: Pick<TemplateRow, 'parameterFormat' | 'components'>,
): BodyParameters | undefined {
  if (template.components === null) return undefined;
  const text = bodyText(template.components) ?? '';
  if (template.parameterFormat === 'named') {
    const names = [...text.matchAll(NAMED)].map((match) => match[1] ?? '');
    return { format: 'named', names: [...new Set(names)] };
  }
  const indexes = [...text.matchAll(POSITIONAL)].map((match) => Number(match[1]));
  return { format: 'positional', count: Math.max(0, ...indexes) };
}

/**
 * A template's parameters as the renderers take them (render.ts, render-sql.ts): texts in the
 * body's order, a named template's values in the order of its names. Call it on a template whose
 * parameters match its body (parametersProblems): a name without a value renders as an empty
 * text, which the renderer skips as blank rather than send.
 */
export function orderedParameters(
  template: Pick<TemplateRow, 'parameters' | 'parameterFormat' | 'components'>,
): string[] {
  const { parameters } = template;
  if (Array.isArray(parameters)) return parameters;
  const body = bodyParameters(template);
  const names = body?.format === 'named' ? body.names : Object.keys(parameters).sort();
  return names.map((name) => (Object.hasOwn(parameters, name) ? (parameters[name] ?? '') : ''));
}

/** A named template's names in the body's order (the wire's `parameter_name`s), else none. */
export function parameterNames(
  template: Pick<TemplateRow, 'parameterFormat' | 'components'>,
): string[] | undefined {
  const body = bodyParameters(template);
  return body?.format === 'named' ? body.names : undefined;
}

/**
 * Why `parameters` cannot fill this template's body, by path (`parameters`, `parameters.<name>`):
 * an array for a named template or an object for a positional one, the wrong count, a name
 * missing or unknown. Empty when they fit. The texts themselves are checked by the schema.
 */
export function parametersProblems(
  template: Pick<TemplateRow, 'parameterFormat' | 'components'>,
  parameters: TemplateParameters,
): FieldError[] {
  const body = bodyParameters(template);
  if (body === undefined) {
    return Array.isArray(parameters)
      ? []
      : [
          {
            path: 'parameters',
            message: 'a template made by hand takes its parameters as a list, in order',
          },
        ];
  }
  if (body.format === 'positional') {
    if (!Array.isArray(parameters))
      return [
        {
          path: 'parameters',
          message: `the template is positional: give a list of ${body.count} texts, for {{1}}…`,
        },
      ];
    return parameters.length === body.count
      ? []
      : [
          {
            path: 'parameters',
            message: `the template's body has ${body.count} parameters, ${parameters.length} given`,
          },
        ];
  }
  if (Array.isArray(parameters))
    return [
      {
        path: 'parameters',
        message: `the template is named: give an object with ${wordsOf(body.names)}`,
      },
    ];
  const given = Object.keys(parameters);
  return [
    ...body.names
      .filter((name) => !given.includes(name))
      .map((name) => ({ path: `parameters.${name}`, message: 'is missing: the body names it' })),
    ...given
      .filter((name) => !body.names.includes(name))
      .map((name) => ({
        path: `parameters.${name}`,
        message: `is not a parameter of the body (${wordsOf(body.names)})`,
      })),
  ];
}

function wordsOf(names: string[]): string {
  return names.length === 0 ? 'no names' : names.map((name) => `"${name}"`).join(', ');
}
