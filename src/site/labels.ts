// How MyST matches a reference to a label: without regard to case, spacing or
// quotes, and by the label's html id too (`#deploy-base-url` for the label
// `deploy:base-url`). Our own dialect matches ids exactly; in MyST projects,
// links are rewritten here to the label as it was written, before the
// resolvers (targets.ts, resolve.ts) look them up. `[](label)`, MyST's older
// form with no `#`, is rewritten the same way when no page has that path.

import type { Link, Root } from 'mdast'
import type { PageFacts } from './collect.js'
import type { SiteIndex } from './index.js'
import { visitLinks } from './links.js'
import { joinPath } from './resolve.js'
import type { TargetIndex } from './targets.js'
import { decode } from '../markdown/paths.js'

/** A label as MyST compares it: spaces collapsed, quotes removed, lower case. */
export function normalizeLabel(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/['‘’"“”]+/g, '')
    .trim()
    .toLowerCase()
}

/** The html id MyST gives a label: letters, digits and single hyphens, starting with a letter. */
export function htmlId(label: string): string {
  return normalizeLabel(label)
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^([0-9-])/, 'id-$1')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** Every label of the project by its normalized form and by its html id, to the label as written. */
export type LabelAliases = ReadonlyMap<string, string>

export function labelAliases(index: SiteIndex, targets: TargetIndex): LabelAliases {
  const aliases = new Map<string, string>()
  // Explicit labels first, so that a heading's slug never hides a label of the same form.
  const ids = [...targets.byId.keys(), ...index.findings.keys(), ...index.recommendations.keys(), ...index.pageLabels.keys(), ...index.headingPages.keys()]
  for (const id of ids) {
    for (const form of [normalizeLabel(id), htmlId(id)]) if (form !== '' && !aliases.has(form)) aliases.set(form, id)
  }
  return aliases
}

/** The label as written that `reference` means, or undefined when the project has none. */
export function findLabel(reference: string, aliases: LabelAliases): string | undefined {
  const normalized = normalizeLabel(reference)
  return aliases.get(normalized) ?? aliases.get(htmlId(normalized))
}

/** Whether the project has this id exactly as written. */
function isExact(id: string, index: SiteIndex, targets: TargetIndex): boolean {
  return targets.byId.has(id) || index.findings.has(id) || index.recommendations.has(id) || index.pageLabels.has(id) || index.headingPages.has(id)
}

/**
 * Rewrite this page's links to labels into the labels' written form: `#Fig-A`
 * to `#fig-a`, `other.md#deploy-base-url` to `other.md#deploy:base-url`, and
 * `[](fig-a)` to `#fig-a`.
 */
export function matchLabels(tree: Root, page: PageFacts, index: SiteIndex, targets: TargetIndex, aliases: LabelAliases): void {
  visitLinks(tree, (node: Link) => {
    const url = node.url
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[^/#]*:[^/]/.test(url)) return
    const hashAt = url.indexOf('#')
    if (hashAt < 0) {
      // `[](label)`: a label with no `#`, when it names no page or file (those have a `.` or a `/`, or are pages).
      if (url === '' || /[/.?]/.test(url) || index.pagesByPath.has(joinPath(page.path, `${url}.md`))) return
      const label = isExact(url, index, targets) ? url : findLabel(decode(url), aliases)
      if (label !== undefined) node.url = `#${label}`
      return
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return
    const anchor = decode(url.slice(hashAt + 1))
    if (anchor === '' || isExact(anchor, index, targets)) return
    const label = findLabel(anchor, aliases)
    if (label !== undefined) node.url = `${url.slice(0, hashAt)}#${label}`
  })
}

