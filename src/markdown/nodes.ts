// Our block types, declared in the mdast content maps so that every visitor
// and handler sees them typed. They are made by directives.ts and quotes.ts.

import type { BlockContent, Data, DefinitionContent, Parent, PhrasingContent } from 'mdast'
import type {} from 'mdast-util-to-hast'
import type {} from 'mdast-util-directive'

export type FlowContent = BlockContent | DefinitionContent
import type { Place } from '../messages.js'

export type Horizon = 'short' | 'medium' | 'long' | 'ongoing'
/** Our dialect writes the first four; MyST's admonitions add the rest. */
export type CalloutKind =
  | 'note'
  | 'tip'
  | 'important'
  | 'warning'
  | 'hint'
  | 'caution'
  | 'attention'
  | 'danger'
  | 'error'
  | 'seealso'

export interface Finding extends Parent {
  type: 'finding'
  id: string
  /** The directive's first heading, which is the finding's title. */
  title: PhrasingContent[]
  titleText: string
  /** Level of the title heading as written. */
  depth: number
  /** A one-line summary for the findings page, from its `summary` attribute. Default: the first sentence of its text. */
  summary?: string
  children: FlowContent[]
  data?: Data
}

export interface AddressedId {
  id: string
  place: Place
}

export interface Recommendation extends Parent {
  type: 'recommendation'
  id: string
  title: PhrasingContent[]
  titleText: string
  depth: number
  addresses: AddressedId[]
  audience: string | undefined
  horizons: Horizon[]
  children: FlowContent[]
  data?: Data
}

export interface Attribution {
  /** The attribution as written, without the dash and the paraphrase mark. */
  content: PhrasingContent[]
  text: string
  place: Place
}

export interface Quote extends Parent {
  type: 'quote'
  attribution: Attribution
  paraphrased: boolean
  /**
   * Its anchor, from where it stands and never from its words: `q-slow-review-2` for the second quote of the
   * finding `slow-review` (unique in the report), `quote-3` for the third quote outside any finding (unique on its page).
   * Set with the heading anchors (headings.ts).
   */
  anchor?: string
  children: FlowContent[]
  data?: Data
}

export interface Callout extends Parent {
  type: 'callout'
  kind: CalloutKind
  title: PhrasingContent[] | undefined
  /** Folded behind its title (MyST's `:class: dropdown`), open or closed at first. Default: not folded. */
  dropdown?: 'open' | 'closed'
  /** An anchor other pages can link to (MyST's `:label:`). */
  label?: string
  /** Classes from MyST's `:class:`, but `dropdown` and a class that chose the kind. Default: none. */
  className?: string[]
  children: FlowContent[]
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    finding: Finding
    recommendation: Recommendation
    quote: Quote
    callout: Callout
  }
  interface RootContentMap {
    finding: Finding
    recommendation: Recommendation
    quote: Quote
    callout: Callout
  }
}
