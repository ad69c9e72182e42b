// In MyST projects `@x` is a cross-reference as well as a citation: MyST looks
// the key up in the bibliography first, then among the project's labels, and
// warns when it is neither. This runs between collecting and formatting: the
// items that name labels are taken out of the citations (formatted by
// format.ts) and kept apart, by place, for resolve.ts to turn into links.
// Our own dialect keeps `@x` for citations only.

import { createMessage, type Message } from '../messages.js'
import { hintFor, suggestionsFrom, type Suggestions } from '../suggest.js'
import { doiKey, type PageCitations } from './format.js'

/** For each page, for each citation: the label each item names, item by item, or undefined when it names none. */
export type CitationTargets = ((string | undefined)[] | undefined)[][]

export interface SplitCitations {
  /** The citations with only the items that name bibliography entries. */
  pages: PageCitations[]
  targets: CitationTargets
  messages: Message[]
}

/**
 * `keys`: the bibliography's keys. `findLabel`: the label as written that a
 * key names (site/labels.ts), or undefined. `labels`: every label, for hints.
 */
export function splitCitations(
  pages: PageCitations[],
  keys: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  findLabel: (key: string) => string | undefined,
  labels: Iterable<string>,
): SplitCitations {
  const messages: Message[] = []
  let known: Suggestions | undefined
  const suggestions = () => (known ??= suggestionsFrom([...keys.keys(), ...labels]))
  const targets: CitationTargets = []
  const split = pages.map((page) => {
    const pageTargets: CitationTargets[number] = []
    targets.push(pageTargets)
    return {
      file: page.file,
      citations: page.citations.map((fact) => {
        // A DOI is a citation whether or not the bibliography has it (format.ts links it to doi.org).
        const cited = (key: string) => keys.has(key) || doiKey.test(key)
        const found = fact.items.map((item) => (cited(item.key) ? undefined : findLabel(item.key)))
        pageTargets.push(found.some((label) => label !== undefined) ? found : undefined)
        const items = fact.items.filter((item, i) => {
          if (cited(item.key)) return true
          if (found[i] !== undefined) return false
          messages.push(
            createMessage(
              fact.bare ? 'reference-target-exists' : 'citation-key-exists',
              page.file,
              item.place,
              `\`@${item.key}\` is neither a label in the project nor a key of the bibliography`,
              hintFor(item.key, suggestions(), 'Label the figure, table, equation or section it refers to with `(label)=` or `:label:`, or add the work to your .bib file.'),
            ),
          )
          return false
        })
        return { ...fact, items }
      }),
    }
  })
  return { pages: split, targets, messages }
}
