import type { TemplatePreview } from '../../templates/preview-schemas';
import { fieldId } from '../ui/form';
import { formatNumber } from '../ui/format';
import { PreviewOutput } from './preview-output';
import type { PreviewSource } from './preview-source';

/**
 * The live preview beside a template: a list and one of its contacts to render for, the text
 * that contact would get, and the placeholders the list's columns offer. Inside the template
 * form its pickers post with the form ("Preview" without JavaScript); on a saved template's page
 * they are a form of their own, read by GET. templates.js re-renders it as the marketer types.
 */
export function PreviewPanel(props: {
  source: PreviewSource;
  preview: TemplatePreview;
  errors?: string[];
  /** `form`: the pickers belong to the enclosing template form; `get`: a form of their own. */
  mode: 'form' | 'get';
  action?: string;
  /** Insert buttons beside the placeholders (into the parameter being written). */
  insertable?: boolean;
}) {
  const { source } = props;
  const pickers = (
    <div class="preview-pickers">
      <div class="field">
        <label for={fieldId('previewList')}>List</label>
        <select id={fieldId('previewList')} name="previewList" data-preview-list>
          {source.lists.map((list) => (
            <option value={list.id} selected={list.id === source.listId}>
              {`${list.name} (${formatNumber(list.contactCount)})`}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={fieldId('previewContact')}>Contact</label>
        <select id={fieldId('previewContact')} name="previewContact" data-preview-contact>
          {source.contacts.length === 0 ? <option value="">No contacts in this list</option> : null}
          {source.contacts.map((contact) => (
            <option value={contact.id} selected={contact.id === source.contactId}>
              {contact.label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        class="button"
        data-preview-button
        {...(props.mode === 'form'
          ? { name: 'intent', value: 'preview', formnovalidate: true }
          : {})}
      >
        {props.mode === 'form' ? 'Preview' : 'Show preview'}
      </button>
    </div>
  );
  return (
    <section class="card template-preview" aria-labelledby="preview-heading" data-template-preview>
      <h2 id="preview-heading">Preview</h2>
      {source.lists.length === 0 ? (
        <p class="muted">
          With a list, the preview shows what each contact gets.{' '}
          <a href="/audiences">Upload a list of contacts in Audiences</a>. Until then it shows a
          contact without attributes.
        </p>
      ) : props.mode === 'get' ? (
        <form method="get" action={props.action}>
          {pickers}
        </form>
      ) : (
        pickers
      )}
      <div class="preview-output" aria-live="polite" data-preview-output>
        <PreviewOutput preview={props.preview} errors={props.errors} />
      </div>
      {source.lists.length > 0 ? (
        <Placeholders names={source.attributes} insertable={props.insertable} />
      ) : null}
    </section>
  );
}

function Placeholders(props: { names: string[]; insertable?: boolean }) {
  return (
    <div data-preview-placeholders>
      <h3>Placeholders from this list</h3>
      {props.names.length === 0 ? (
        <p class="muted">Its contacts have no columns besides the phone.</p>
      ) : (
        <ul class="placeholders">
          {props.names.map((name) => (
            <li>
              <code>{`{{${name}}}`}</code>
              {props.insertable ? (
                <button
                  type="button"
                  class="link-button"
                  data-insert={`{{${name}}}`}
                  aria-label={`Insert {{${name}}}`}
                  hidden
                >
                  Insert
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
