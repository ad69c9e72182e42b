// Parse a text without the GFM syntax it cannot hold. Literal autolinks
// (`www.x.org`, `https://x.org`, `a@b.org`) are tried at the start of every
// word, and tables at the start of every line: together about a third of a
// chapter's parse, in chapters that mostly have neither. Each needs a
// character or a word that the text itself can be searched for first:
//   - micromark's literal autolinks start only at `www.`, at `http:` or
//     `https:`, or at the letters, digits or `+-._` right before an `@`;
//     mdast's transform that finds more of them in the text's values looks
//     for the same, where a backslash escape may have joined two characters
//     and a character reference may have made any;
//   - a table's delimiter row has a `|`, or one cell whose dashes a colon
//     touches (`:-`, `-:`), or it is a thematic break or a heading's line.
// A text with none of these gets the same tree from a parser without that
// syntax, since the constructs it drops could not have matched anywhere
// (tests/needed.test.ts compares the trees).

import type { Extension as MdastExtension } from 'mdast-util-from-markdown'
import type { Construct, ConstructRecord, Extension } from 'micromark-util-types'
import type { Processor } from 'unified'

export interface NeededSyntax {
  /** Whether literal autolinks may be in the text. */
  autolinks: boolean
  /** Whether a table may be. */
  tables: boolean
}

/** What of the costly syntax a text may hold; false only where it certainly holds none. */
export function neededSyntax(text: string): NeededSyntax {
  return {
    autolinks: /&[#a-z]/i.test(text) || /@|www\.|https?:/i.test(text.includes('\\') ? text.replaceAll('\\', '') : text),
    tables: /\||:-|-:/.test(text),
  }
}

const autolinkConstructs = new Set(['emailAutolink', 'wwwAutolink', 'protocolAutolink'])

/**
 * A remark plugin that takes the syntax a text does not need out of the parser: use after remark-gfm (and
 * remark-linear, whose wrapped constructs keep their names), before plugins whose syntax should stay.
 */
export default function remarkNeeded(this: Processor, needed: NeededSyntax): void {
  const dropped = new Set([...(needed.autolinks ? [] : autolinkConstructs), ...(needed.tables ? [] : ['table'])])
  if (dropped.size === 0) return
  const data = this.data()
  data.micromarkExtensions = (data.micromarkExtensions ?? []).map((extension) => withoutConstructs(extension, dropped))
  // The transform belongs to the extension that also turns micromark's literal autolinks into links.
  if (!needed.autolinks) data.fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map((extension) => withoutAutolinkTransform(extension))
}

function withoutConstructs(extension: Extension, dropped: ReadonlySet<string>): Extension {
  const result: Extension = { ...extension }
  for (const field of ['text', 'flow'] as const) {
    const record = extension[field]
    if (record) result[field] = withoutFromRecord(record, dropped)
  }
  return result
}

function withoutFromRecord(record: ConstructRecord, dropped: ReadonlySet<string>): ConstructRecord {
  const result: ConstructRecord = {}
  const keep = (construct: Construct) => !dropped.has(construct.name ?? '')
  // Keys are character codes, and `null` (constructs tried at any character, as a table is), as a string.
  for (const [key, entry] of Object.entries(record)) {
    const kept = [entry ?? []].flat().filter(keep)
    if (kept.length > 0) result[key] = kept
  }
  return result
}

function withoutAutolinkTransform<T extends MdastExtension | MdastExtension[]>(extension: T): T
function withoutAutolinkTransform(extension: MdastExtension | MdastExtension[]): MdastExtension | MdastExtension[] {
  if (Array.isArray(extension)) return extension.map(withoutAutolinkTransform)
  if (!extension.enter?.['literalAutolink'] || !extension.transforms) return extension
  const { transforms: _, ...rest } = extension
  return rest
}

/** One processor for each combination of what texts need, made when first asked for. */
export function processorsByNeed<T>(make: (needed: NeededSyntax) => T): (text: string) => T {
  const made = new Map<string, T>()
  return (text) => {
    const needed = neededSyntax(text)
    const key = `${needed.autolinks} ${needed.tables}`
    let processor = made.get(key)
    if (processor === undefined) made.set(key, (processor = make(needed)))
    return processor
  }
}
