import type { Actor } from '../../access/actor';
import type { TemplatePreview } from '../../templates/preview-schemas';
import {
  CsrfField,
  ErrorSummary,
  Field,
  type FieldErrors,
  fieldId,
  InputField,
  SelectField,
} from '../ui/form';
import { PlaceholderHelp } from './placeholder-help';
import { PreviewPanel } from './preview-panel';
import type { PreviewSource } from './preview-source';

export type TemplateValues = {
  name: string;
  namespace: string;
  languageCode: string;
  languagePolicy: string;
  category: string;
  parameters: string[];
};

export const emptyTemplate: TemplateValues = {
  name: '',
  namespace: '',
  languageCode: 'en',
  languagePolicy: 'deterministic',
  category: '',
  parameters: [],
};

/** The parameters written, without the blank fields after the last one. */
export function writtenParameters(parameters: string[]): string[] {
  const kept = [...parameters];
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  return kept;
}

/** Parameter fields shown: the written ones and a blank after them, at least three. */
export function parameterFields(parameters: string[]): string[] {
  const shown = [...writtenParameters(parameters), ''];
  while (shown.length < 3) shown.push('');
  return shown.slice(0, 100);
}

const labels: Record<string, string> = {
  name: 'Template name',
  namespace: 'Namespace',
  'language.code': 'Language code',
  'language.policy': 'Language policy',
  category: 'Category',
  parameters: 'Body parameters',
};

/** The errors for the summary at the top, each named by its field's label. */
function summaryOf(errors: FieldErrors): FieldErrors {
  const label = (path: string) => {
    const parameter = /^parameters\.(\d+)$/.exec(path);
    return parameter ? `Parameter {{${Number(parameter[1]) + 1}}}` : (labels[path] ?? path);
  };
  return Object.fromEntries(
    Object.entries(errors).map(([path, m]) => [path, `${label(path)}: ${m}`]),
  );
}

/**
 * The template form (docs/console.md: forms): its fields on the left, the live preview for a
 * contact on the right. Blank parameter fields at the end are left out when it is saved.
 */
export function TemplateForm(props: {
  actor: Actor;
  values: TemplateValues;
  errors: FieldErrors;
  /** Sum the errors up at the top (a refused save), or only mark the fields (a preview). */
  summary: boolean;
  message?: string;
  source: PreviewSource;
  preview: TemplatePreview;
  previewErrors?: string[];
}) {
  const { values, errors } = props;
  return (
    <>
      {props.summary ? <ErrorSummary errors={summaryOf(errors)} message={props.message} /> : null}
      <form method="post" action="/templates/new" class="template-layout" data-template-form>
        <CsrfField actor={props.actor} />
        <div class="template-fields">
          <InputField
            name="name"
            label="Template name"
            hint="Exactly as approved in your WhatsApp Business account, such as spring_sale."
            error={errors.name}
            input={{ value: values.name, required: true, maxlength: 512, autocomplete: 'off' }}
          />
          <InputField
            name="namespace"
            label="Namespace"
            hint="Your account's template namespace, shown in WhatsApp Manager."
            error={errors.namespace}
            input={{ value: values.namespace, required: true, maxlength: 512 }}
          />
          <div class="field-row">
            <InputField
              name="language.code"
              label="Language code"
              hint="As approved: en, en_US, de, pt_BR…"
              error={errors['language.code']}
              input={{ value: values.languageCode, required: true, maxlength: 32, class: 'narrow' }}
            />
            <SelectField
              name="language.policy"
              label="Language policy"
              hint="Keep “This language only” unless WhatsApp approved it with fallback."
              error={errors['language.policy']}
            >
              <option value="deterministic" selected={values.languagePolicy !== 'fallback'}>
                This language only
              </option>
              <option value="fallback" selected={values.languagePolicy === 'fallback'}>
                Fallback allowed
              </option>
            </SelectField>
          </div>
          <SelectField
            name="category"
            label="Category (optional)"
            error={errors.category}
            select={{ class: 'narrow' }}
          >
            <option value="">Not set</option>
            {['marketing', 'utility', 'authentication'].map((category) => (
              <option value={category} selected={values.category === category}>
                {category.charAt(0).toUpperCase() + category.slice(1)}
              </option>
            ))}
          </SelectField>
          <fieldset class="field parameters">
            <legend>Body parameters</legend>
            <p class="hint" id="parameters-hint">
              One per blank of the approved text, in order. <code>{'{{first_name}}'}</code> puts in
              the contact's first_name; <code>{'{{city|your city}}'}</code> says “your city” to
              those without one (more under “How placeholders work”). Another field appears as you
              fill the last (or after Preview); empty ones at the end are left out.
            </p>
            {errors.parameters ? <p class="error-message">{errors.parameters}</p> : null}
            {parameterFields(values.parameters).map((value, index) => {
              const name = `parameters.${index}`;
              return (
                <Field name={name} label={`Parameter {{${index + 1}}}`} error={errors[name]}>
                  <input
                    id={fieldId(name)}
                    type="text"
                    name="parameters"
                    value={value}
                    maxlength={1024}
                    autocomplete="off"
                    spellcheck={false}
                    data-parameter
                    aria-describedby={[
                      'parameters-hint',
                      errors[name] ? `${fieldId(name)}-error` : '',
                    ]
                      .filter(Boolean)
                      .join(' ')}
                  />
                </Field>
              );
            })}
          </fieldset>
          <div class="actions">
            <button type="submit" class="button primary" name="intent" value="save">
              Save template
            </button>
            <a href="/templates">Cancel</a>
          </div>
        </div>
        <div class="template-side">
          <PreviewPanel
            mode="form"
            source={props.source}
            preview={props.preview}
            errors={props.previewErrors}
            insertable
          />
          <PlaceholderHelp />
        </div>
      </form>
    </>
  );
}
