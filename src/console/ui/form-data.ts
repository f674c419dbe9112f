/** A parsed form (`c.req.parseBody()`), whose fields may be strings, files or lists of them. */
export type FormData = Record<string, unknown>;

/** A text field's value, trimmed; '' when absent or not text. */
export function formText(form: FormData, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Every value of a repeated field (`lists` checkboxes), from `parseBody({ all: true })`. */
export function formList(form: FormData, name: string): string[] {
  const value = form[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The field's text, or undefined when empty: for optional API fields. */
export function formOptional(form: FormData, name: string): string | undefined {
  const text = formText(form, name);
  return text === '' ? undefined : text;
}
