/** The host form's field names as people read them. */
export const HOST_FIELD_LABELS: Record<string, string> = {
  hostname: 'The hostname',
  ip_address: 'The IP address',
  port: 'The port',
  credential_id: 'The credential',
  parent_host_id: 'The parent host',
  jump_host_id: 'The jump host',
  tags: 'Each tag',
  host_key_policy: 'The host key policy',
  monitoring_state: 'The state',
  is_active: 'Active',
};

/**
 * An API problem as a sentence for people: the field's API name at its start ("ip_address
 * must be …") becomes its label ("The IP address must be …"), and it ends with a full stop.
 * The problem stays filed under its field; only the words change.
 */
export function humanProblem(field: string, problem: string, labels = HOST_FIELD_LABELS): string {
  const label = labels[field];
  let text = problem.trim();
  const named = new RegExp(
    `^(each )?${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\[\\d+\\])?\\b\\s*`,
    'i',
  );
  if (label && named.test(text)) text = `${label} ${text.replace(named, '')}`;
  else if (/^each tag\b/i.test(text)) text = text.replace(/^each tag/i, 'Each tag');
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
