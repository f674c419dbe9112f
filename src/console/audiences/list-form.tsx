import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { List } from '../../contacts/lists/schemas';
import { Page } from '../layout';
import { CsrfField, ErrorSummary, type FieldErrors, InputField, TextareaField } from '../ui/form';

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
        <InputField
          name="name"
          label="Name"
          hint="What your team calls these customers, such as “Spring customers”."
          error={errors.name}
          input={{ required: true, maxlength: 200, value: values.name }}
        />
        <TextareaField
          name="description"
          label="Description (optional)"
          hint="Where the contacts come from, or what they agreed to."
          error={errors.description}
          value={values.description}
          textarea={{ maxlength: 2000 }}
        />
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
