import { describedBy, Field, fieldId } from '../ui/form';
import { type ChosenPeriod, MAX_CUSTOM_DAYS, presets } from './period';

/**
 * One period picker for the whole page (docs/console.md: Analytics): the presets as links, a
 * custom range of days as a GET form. Both keep the table's sort.
 */
export function PeriodPicker(props: {
  chosen: ChosenPeriod['preset'];
  first: string;
  last: string;
  errors: Record<string, string>;
  keep: Record<string, string>;
  zone: string;
}) {
  const link = (preset: string) =>
    `/analytics?${new URLSearchParams({ period: preset, ...props.keep }).toString()}`;
  return (
    <section class="period-picker card" aria-labelledby="period-title">
      <h2 id="period-title" class="card-title">
        Period
      </h2>
      <nav aria-label="Periods" class="filters">
        {Object.entries(presets).map(([preset, label]) => (
          <a href={link(preset)} aria-current={props.chosen === preset ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <form method="get" action="/analytics" class="period-form">
        <input type="hidden" name="period" value="custom" />
        {Object.entries(props.keep).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {[
          { name: 'from', label: 'First day', value: props.first },
          { name: 'to', label: 'Last day', value: props.last },
        ].map((field) => (
          <Field name={field.name} label={field.label} error={props.errors[field.name]}>
            <input
              id={fieldId(field.name)}
              type="date"
              name={field.name}
              value={field.value}
              required
              aria-describedby={describedBy(field.name, false, props.errors[field.name])}
            />
          </Field>
        ))}
        <button type="submit" class={props.chosen === 'custom' ? 'button primary' : 'button'}>
          Show these days
        </button>
      </form>
      <p class="hint">
        Days in {props.zone}; a custom period covers up to {MAX_CUSTOM_DAYS} days.
      </p>
    </section>
  );
}
