import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { List } from '../../contacts/lists/schemas';
import { Page } from '../layout';
import { CsrfField, describedBy, ErrorSummary, Field, type FieldErrors, fieldId } from '../ui/form';

export type ListValues = { name: string; description: string };

/** A new list, or the rename of one (`list`): a name, and an optional description. */
export function ListFormPage(props: {
  c: Context;
  list?: List;
  values: ListValues;
  errors: FieldErrors;
  message?: string;
}) {
  const { c, list, values, errors } = props;
  const actor = actorOf(c);
  const action = list ? `/audiences/lists/${list.id}/edit` : '/audiences/lists/new';
  const back = list ? `/audiences/lists/${list.id}` : '/audiences';
  return (
    <Page
      actor={actor}
      area="audiences"
      title={list ? `Rename ${list.name}` : 'New list'}
      subtitle={<a href={back}>{list ? `Back to ${list.name}` : 'Back to Audiences'}</a>}
    >
      <ErrorSummary errors={errors} message={props.message} />
      <form method="post" action={action} class="stack">
        <CsrfField actor={actor} />
        <Field
          name="name"
          label="Name"
          hint="What your team calls these customers, such as “Spring customers”."
          error={errors.name}
        >
          <input
            id={fieldId('name')}
            name="name"
            type="text"
            required
            maxlength={200}
            value={values.name}
            aria-describedby={describedBy('name', true, errors.name)}
          />
        </Field>
        <Field
          name="description"
          label="Description (optional)"
          hint="Where the contacts come from, or what they agreed to."
          error={errors.description}
        >
          <textarea
            id={fieldId('description')}
            name="description"
            maxlength={2000}
            aria-describedby={describedBy('description', true, errors.description)}
          >
            {values.description}
          </textarea>
        </Field>
        <div class="actions">
          <button type="submit" class="button primary">
            {list ? 'Save the new name' : 'Create the list'}
          </button>
          <a href={back}>Cancel</a>
        </div>
      </form>
    </Page>
  );
}
