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
  'docx-renders': 'error',
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
  'notebook-valid': 'error',
  'notebook-output-supported': 'info',
  'directive-option-known': 'warning',
  'directive-option-valid': 'warning',
  'directive-has-content': 'warning',
  'role-known': 'warning',
  'target-labels-block': 'warning',
  'include-file-exists': 'error',
  'math-renders': 'warning',
  'myst-extends-resolves': 'error',
  'myst-extends-local': 'warning',
  'legacy-toc-valid': 'error',
  'toc-defined-once': 'warning',
  'xref-project-known': 'warning',
  'solution-names-exercise': 'warning',
  'citation-doi-in-bibliography': 'warning',
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

/** The two dialects a project is read in: our own (`report.yml`) and MyST (`myst.yml`, docs/myst.md). */
export type Dialect = 'report' | 'myst'

/**
 * A MyST project builds whenever mystmd would build it: what mystmd reports and
 * still builds is a warning there, whatever its severity in our own dialect, and
 * the page shows something sensible in its place (docs/myst.md, "Severities").
 * Rules not listed have the same severity in both dialects.
 */
export const mystSeverities = {
  // A missing image is shown as a placeholder, an image with no alt text as it is.
  'image-exists': 'warning',
  'image-has-alt': 'warning',
  // The first of two blocks with one label keeps it; a repeated toc entry is left out.
  'id-unique': 'warning',
  'toc-file-unique': 'warning',
  // A fence ends where MyST ends it: at the fence around it, or at the end of the file.
  'directive-closed': 'warning',
  'directive-fence-balanced': 'warning',
  // An unresolved reference is shown as its text, not as a link.
  'reference-target-exists': 'warning',
  'reference-target-unambiguous': 'warning',
  'link-target-exists': 'warning',
  // What MyST skips with a message and builds on: a toc entry with no file, an include with no file,
  // a citation key with no entry (shown as written), a file the site may not publish (left out).
  'toc-file-exists': 'warning',
  'include-file-exists': 'warning',
  'citation-key-exists': 'warning',
  'file-publishable': 'warning',
} as const satisfies Partial<Record<RuleId, Severity>>

/** Rules that `--strict` turns into errors, whatever their default: each one reports a change to what the author wrote. */
export const strictErrors: readonly RuleId[] = ['html-sanitized']

export function severityOf(ruleId: RuleId, dialect: Dialect = 'report'): Severity {
  if (dialect === 'myst' && Object.hasOwn(mystSeverities, ruleId)) return mystSeverities[ruleId as keyof typeof mystSeverities]
  return rules[ruleId]
}
