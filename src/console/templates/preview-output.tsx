import type { RenderedText, TemplatePreview } from '../../templates/preview-schemas';

/**
 * A rendered text as the contact would get it, each part marked by where it came from: the
 * contact's attribute, a fallback (the attribute is missing), or nothing (missing without a
 * fallback). templates.js draws the same markup from the API's answer while the marketer types.
 */
export function RenderedLine(props: { label: string; rendered: RenderedText; invalid: boolean }) {
  const { rendered } = props;
  return (
    <div class="rendered">
      <span class="rendered-label">{props.label}</span>
      <p class="rendered-text">
        {rendered.pieces.map((piece) =>
          piece.kind === 'text' ? (
            piece.text
          ) : piece.kind === 'value' ? (
            <mark class="piece-value" title={`from "${piece.attribute}"`}>
              {piece.text}
            </mark>
          ) : piece.kind === 'fallback' ? (
            <mark class="piece-fallback" title={`"${piece.attribute}" is missing: its fallback`}>
              {piece.text}
              <span class="visually-hidden"> (fallback: no {piece.attribute})</span>
            </mark>
          ) : (
            <mark class="piece-missing">no {piece.attribute}</mark>
          ),
        )}
      </p>
      {rendered.problem ? (
        <p class="rendered-problem">
          {props.invalid ? 'Not valid: ' : 'Cannot be sent to this contact: '}
          {rendered.problem}
        </p>
      ) : null}
    </div>
  );
}

/** The preview's outcome for the contact: every parameter, the follow-up, and the verdict. */
export function PreviewOutput(props: { preview: TemplatePreview; errors?: string[] }) {
  const { preview } = props;
  const invalid = new Set(preview.errors.map((error) => error.path));
  return (
    <div>
      {props.errors && props.errors.length > 0 ? (
        <ul class="preview-errors">
          {props.errors.map((error) => (
            <li>{error}</li>
          ))}
        </ul>
      ) : null}
      {preview.parameters.length === 0 && !preview.followUp ? (
        <p class="muted">No parameters: every contact gets the same message.</p>
      ) : null}
      {preview.parameters.map((rendered, index) => (
        <RenderedLine
          label={`{{${index + 1}}}`}
          rendered={rendered}
          invalid={invalid.has(`parameters.${index}`)}
        />
      ))}
      {preview.followUp ? (
        <RenderedLine
          label="Follow-up"
          rendered={preview.followUp}
          invalid={invalid.has('followUp')}
        />
      ) : null}
      {invalid.size > 0 ? null : preview.skipReason ? (
        <p class="verdict verdict-skip">
          This contact would be skipped, not sent a broken message: {preview.skipReason}.
        </p>
      ) : (
        <p class="verdict verdict-ok">This contact would be sent this message.</p>
      )}
      {preview.missing.length > 0 ? (
        <p class="muted">Missing for this contact: {preview.missing.join(', ')}.</p>
      ) : null}
    </div>
  );
}
