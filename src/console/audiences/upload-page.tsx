import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { PREVIEW_MAX_BYTES } from '../../contacts/import/preview-import';
import type { List } from '../../contacts/lists/schemas';
import { Page } from '../layout';
import {
  describedBy,
  ErrorSummary,
  Field,
  type FieldErrors,
  fieldId,
  InputField,
  SelectField,
} from '../ui/form';
import { formatNumber } from '../ui/format';
import { countryChoices } from './countries';
import { DoneNotice } from './nav';

const notices: Record<string, string> = {
  created: 'The list was created. Now upload a CSV file of its contacts.',
};

export type UploadValues = { phoneColumn: string; defaultCountry: string };

/**
 * The upload of a CSV file into a list. Without JavaScript it is a multipart form whose fields
 * come before the file (the API reads them as the file streams by), posted with the CSRF token
 * in its query. audiences.js adds drag and drop, the preview of the file's first rows (POST
 * /v1/imports/preview) with the phone column to choose among the file's, and the upload by fetch.
 */
export function UploadPage(props: {
  c: Context;
  list: List;
  values: UploadValues;
  configured: string | undefined;
  errors: FieldErrors;
  message?: string;
}) {
  const { c, list, values, errors, configured } = props;
  const actor = actorOf(c);
  const csrf = actor.kind === 'user' ? actor.session.csrfToken : '';
  const action = `/audiences/lists/${list.id}/upload?_csrf=${encodeURIComponent(csrf)}`;
  return (
    <Page
      actor={actor}
      area="audiences"
      title="Upload contacts"
      subtitle={
        <>
          Into <a href={`/audiences/lists/${list.id}`}>{list.name}</a>, which holds{' '}
          {formatNumber(list.contactCount)} {list.contactCount === 1 ? 'contact' : 'contacts'} now
        </>
      }
      scripts={['audiences-preview.js', 'audiences.js']}
    >
      <DoneNotice notices={notices} done={c.req.query('done')} />
      <ErrorSummary errors={errors} message={props.message} />
      <div data-upload-errors />
      <form
        method="post"
        action={action}
        enctype="multipart/form-data"
        class="stack upload-form"
        data-upload
        data-preview-url="/v1/imports/preview"
        data-import-url={`/v1/lists/${list.id}/imports`}
        data-preview-bytes={String(PREVIEW_MAX_BYTES)}
      >
        <SelectField
          name="defaultCountry"
          label="Country of numbers without a country code"
          hint="For numbers written as people dial them at home, such as 0151 1234 5678. Numbers that start with + or 00 keep their own country."
          error={errors.defaultCountry}
        >
          {configured ? null : (
            <option value="" selected={values.defaultCountry === ''}>
              None: every number has its + or 00
            </option>
          )}
          {countryChoices.map((country) => (
            <option
              value={country.code}
              selected={(values.defaultCountry || configured) === country.code}
            >
              {country.name}
              {country.code === configured ? ' (the service’s default)' : ''}
            </option>
          ))}
        </SelectField>
        <InputField
          name="phoneColumn"
          label="Phone column (optional)"
          hint="The name of the column that holds the phone numbers, as in the file's first line. Leave it empty to use the first column named like phone, mobile, msisdn, whatsapp, number or tel."
          error={errors.phoneColumn}
          input={{
            class: 'narrow',
            maxlength: 200,
            value: values.phoneColumn,
            'data-phone-column': true,
          }}
        />
        <Field
          name="file"
          label="CSV file"
          hint="The first line names the columns; one of them holds the phone numbers, every other one becomes an attribute your templates can use. Commas, semicolons, tabs and | are recognised."
          error={errors.file}
        >
          <div class="dropzone" data-dropzone>
            <p class="dropzone-words" data-drop-words hidden>
              Drag a CSV file here, or choose one:
            </p>
            <input
              id={fieldId('file')}
              name="file"
              type="file"
              accept=".csv,.txt,.tsv,text/csv,text/plain"
              required
              aria-describedby={describedBy('file', true, errors.file)}
            />
          </div>
        </Field>
        <section class="upload-preview" data-preview aria-live="polite" hidden />
        <div class="actions">
          <button type="submit" class="button primary" data-upload-button>
            Upload and import
          </button>
          <a href={`/audiences/lists/${list.id}`}>Cancel</a>
        </div>
      </form>
    </Page>
  );
}
