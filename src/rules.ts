// Every rule the build can report, with its default severity. A rule id is a
// kebab-case statement of what should hold; the message explains what did not.

export type Severity = 'error' | 'warning' | 'info'

export const rules = {
  // Files and configuration
  'yaml-valid': 'error',
  'config-key-known': 'error',
  'value-type-valid': 'error',
  'frontmatter-key-known': 'warning',
  'toc-file-exists': 'error',
  'toc-file-unique': 'error',
  'toc-includes-file': 'warning',
  'page-path-unique': 'error',
  'content-readable': 'error',
  'output-safe': 'error',
  // Markdown structure
  'directive-closed': 'error',
  'directive-fence-balanced': 'error',
  'directive-known': 'warning',
  'directive-attribute-known': 'error',
  'directive-id-present': 'error',
  'directive-has-title': 'error',
  'horizon-valid': 'error',
  'html-sanitized': 'info',
  'template-valid': 'error',
  // Participants and quotes
  'participant-id-unique': 'error',
  'quote-participant-known': 'error',
  'quote-consent-allows': 'error',
  // Cross-page references
  'id-unique': 'error',
  'reference-target-exists': 'error',
  'reference-target-unambiguous': 'error',
  'link-target-exists': 'error',
  'addresses-finding-exists': 'error',
  'finding-addressed': 'warning',
  'recommendation-addresses-something': 'warning',
} as const satisfies Record<string, Severity>

export type RuleId = keyof typeof rules

export function severityOf(ruleId: RuleId): Severity {
  return rules[ruleId]
}
