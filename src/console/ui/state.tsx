/**
 * One colour per message state, the same on every page and chart, and always with its word
 * (docs/console.md: visual language). The CSS classes `state-<name>` hold the colours.
 */
export const messageStates = [
  'pending',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
  'unknown',
  'skipped',
  'held_out',
  'expired',
  'opted_out',
] as const;
export type MessageState = (typeof messageStates)[number];

export const stateLabel = (state: string) => {
  const words = state.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A state's badge: a coloured dot and its word. */
export function StateBadge(props: { state: string; label?: string }) {
  return (
    <span class={`badge state-${props.state}`}>
      <span class="dot" aria-hidden="true" />
      {props.label ?? stateLabel(props.state)}
    </span>
  );
}

/** Campaign statuses share the badge, with their own colours. */
export const campaignStatuses = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
