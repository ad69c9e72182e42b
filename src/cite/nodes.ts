// The nodes citations add to mdast: a citation in the text, and the list of
// references a page that cites ends with. Made by syntax.ts (both dialects)
// and resolve.ts; shown by render/references.ts.

import type { Data, Literal, Node } from 'mdast'
import type { Place } from '../messages.js'

export interface CiteItem {
  key: string
  /** Where the key is written, for messages. */
  place?: Place
  prefix?: string
  suffix?: string
  /** `3` in `@key, p. 3`, with its CSL label (`page`). */
  locator?: string
  label?: string
  /** `-@key`: the year only, the author being named in the sentence. */
  suppressAuthor?: boolean
}

/** One formatted piece of a citation; `key` when it can link to its reference. */
export interface CiteSegment {
  html: string
  key?: string
}

export interface Cite extends Literal {
  type: 'cite'
  /** `(Smith, 2020)` or `Smith (2020)`. */
  mode: 'parenthetical' | 'narrative'
  items: CiteItem[]
  /** Written as a bare `@word`: a citation only if the bibliography has that key, else plain text. */
  bare: boolean
  /** The text as written, shown when the citation cannot be made. */
  value: string
  data?: Data & { segments?: CiteSegment[] }
}

export interface ReferenceEntry {
  key: string
  /** The formatted entry, as HTML from the citation style. */
  html: string
}

/** The references a page cites, added at its end by resolve.ts. */
export interface References extends Node {
  type: 'references'
  entries: ReferenceEntry[]
  /** Whether it shows its own "References" heading: not when the author's heading stands right before it. Default: true. */
  heading?: boolean
  data?: Data
}

declare module 'mdast' {
  interface PhrasingContentMap {
    cite: Cite
  }
  interface BlockContentMap {
    references: References
  }
  interface RootContentMap {
    cite: Cite
    references: References
  }
}
