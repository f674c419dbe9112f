import type { Context } from 'hono';

/** A posted form's fields, read as text: one value, or every value of a repeated name. */
export type FormData = {
  text(name: string): string;
  texts(name: string): string[];
};

/** The posted form (urlencoded), each value cut at `maxChars` (the API refuses longer ones). */
export async function readForm(c: Context, maxChars = 8192): Promise<FormData> {
  const body = await c.req.parseBody({ all: true });
  const texts = (name: string) => {
    const value = body[name];
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return values
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.slice(0, maxChars));
  };
  return { texts, text: (name) => texts(name)[0] ?? '' };
}
