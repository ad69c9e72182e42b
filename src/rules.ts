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
  'search-index-builds': 'error',
  'pdf-renders': 'error',
  'init-file-new': 'error',
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
  // Theming (docs/theming.md)
  'theme-contrast-sufficient': 'warning',
  'style-url-local': 'warning',
  'template-output-safe': 'error',
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
  // Evidence, images and structure
  'image-exists': 'error',
  'image-has-alt': 'error',
  'heading-level-sequential': 'warning',
  'finding-has-quote': 'warning',
  'quote-in-finding': 'info',
  'participant-quoted': 'info',
  // Privacy
  'private-name-absent': 'error',
  // MyST projects (docs/myst.md)
  'myst-key-supported': 'info',
  'toc-file-supported': 'warning',
  'directive-option-known': 'warning',
  'directive-has-content': 'warning',
  'role-known': 'warning',
  'target-labels-block': 'warning',
  'include-file-exists': 'error',
  'math-renders': 'warning',
  'iframe-source-valid': 'warning',
  // Citations and bibliography
  'bibliography-file-exists': 'error',
  'bibtex-valid': 'error',
  'bibliography-key-unique': 'warning',
  'citation-key-exists': 'error',
  'bibliography-entry-cited': 'info',
  'citation-style-valid': 'error',
  // Plugins (docs/plugins.md)
  'plugin-found': 'error',
  'plugin-outside-content': 'error',
  'plugin-loads': 'error',
  'plugin-runs': 'error',
  'myst-plugin-supported': 'warning',
  // Robustness and safety (see SECURITY.md)
  'content-encoding-valid': 'error',
  'content-size-within-limit': 'error',
  'nesting-depth-within-limit': 'error',
  'path-inside-project': 'error',
  'file-publishable': 'error',
  'page-path-safe': 'error',
  'id-form-valid': 'error',
  'reference-target-not-self': 'warning',
  'no-quotes-participant-absent': 'error',
  'output-unlocked': 'error',
  'content-holds-no-repository': 'error',
  'internal-error': 'error',
  // Publishing
  'site-url-known': 'warning',
} as const satisfies Record<string, Severity>

export type RuleId = keyof typeof rules

/** Rules that `--strict` turns into errors, whatever their default: each one reports a change to what the author wrote. */
export const strictErrors: readonly RuleId[] = ['html-sanitized']

export function severityOf(ruleId: RuleId): Severity {
  return rules[ruleId]
}
