import { DataTable } from '../ui/table';

/**
 * The placeholder syntax, explained where a template is written (docs/design.md, rules 5 and 6;
 * src/templates/placeholders.ts). Examples, not a grammar: what a marketer types and what a
 * contact gets.
 */
export function PlaceholderHelp() {
  return (
    <details class="card placeholder-help" open>
      <summary>How placeholders work</summary>
      <p>
        Each parameter fills one blank of the approved template's text: the first fills{' '}
        <code>{'{{1}}'}</code>, the second <code>{'{{2}}'}</code>, and so on. Inside a parameter, a
        placeholder takes a value from the contact's columns (the CSV's headers):
      </p>
      <DataTable
        caption="Placeholder examples"
        class="help-table"
        columns={['You write', 'The contact gets']}
      >
        <tr>
          <td>
            <code>{'{{first_name}}'}</code>
          </td>
          <td>
            Their <code>first_name</code>. A contact without one is skipped, never sent a broken
            "Hello ,".
          </td>
        </tr>
        <tr>
          <td>
            <code>{'{{city|your city}}'}</code>
          </td>
          <td>
            Their <code>city</code>, or the fallback after the <code>|</code> ("your city") when
            they have none.
          </td>
        </tr>
        <tr>
          <td>
            <code>{'Hi {{first_name|there}}!'}</code>
          </td>
          <td>Text and placeholders mix: "Hi Anna!", or "Hi there!".</td>
        </tr>
      </DataTable>
      <ul class="help-list">
        <li>An empty or blank value counts as missing. Column names are matched exactly.</li>
        <li>
          WhatsApp refuses a parameter with a line break, a tab or more than four spaces in a row;
          such a contact is skipped too.
        </li>
        <li>A campaign's follow-up, sent to those who reply, uses the same placeholders.</li>
      </ul>
    </details>
  );
}
