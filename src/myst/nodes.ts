// The node types the MyST dialect adds to mdast, declared in its content maps
// so every visitor and handler sees them typed. Where MyST has something our
// own dialect already models (admonitions, quotes, findings) it reuses our
// nodes instead; see src/markdown/nodes.ts.

import type { Data, Image, Literal, Node, Parent, PhrasingContent } from 'mdast'
import type { FlowContent } from '../markdown/nodes.js'
import type { StatementKind } from './statements.js'

/** What a numbered or labelled block is, which decides its number sequence and link text. */
export type TargetKind = 'figure' | 'table' | 'code' | 'equation' | 'term' | 'block' | StatementKind

/** Display math: `$$ … $$`, a bare AMS environment, or the `math` directive. */
export interface DisplayMath extends Literal {
  type: 'math'
  /** The TeX source, without its `\label`. */
  value: string
  label: string | undefined
  /** False for a starred environment or `:enumerated: false`: shown without a number. Default: numbered. */
  enumerated?: false
  data?: Data
}

/** Inline math: `$…$` or the `{math}` role. */
export interface InlineMath extends Literal {
  type: 'inlineMath'
  value: string
  data?: Data
}

/** A page of another site shown in a sandboxed frame: `{iframe}`. */
export interface Frame extends Node {
  type: 'iframe'
  /** An https:// address of another site (myst/media.ts checks it). */
  src: string
  /** What the frame shows, for screen readers. */
  title: string
  /** Width in pixels, or a percentage of the text column. Default: the text column. */
  width: { pixels: number } | { percent: number } | undefined
  data?: Data
}

/** A `{mermaid}` diagram: its source, drawn in the reader's browser. */
export interface Diagram extends Literal {
  type: 'mermaid'
  value: string
  data?: Data
}

/** Where a labelled block is shown again (`![](#label)`, `{embed}`, `{figure} #label`); replaced once every page is known. */
export interface Embed extends Parent {
  type: 'embed'
  label: string
  /** The copy of the block, once resolved (site/embeds.ts). */
  children: FlowContent[]
  data?: Data
}

/** A numbered figure, table or code listing, with its caption. */
export interface Figure extends Parent {
  type: 'figure'
  kind: 'figure' | 'table' | 'code'
  label: string | undefined
  caption: PhrasingContent[] | undefined
  /** The image, table or code block, followed by any legend. */
  children: FlowContent[]
  /** Classes for the figure (a table directive's `:class:`). Default: none. */
  className?: string[]
  /** A subfigure, lettered within the figure that holds it (`(a)`, `(b)`). Default: false. */
  sub?: boolean
  data?: Data
}

/**
 * A block that becomes one HTML element with classes: asides, dropdowns,
 * cards, grids, glossary entries, and any labelled block that needs an anchor.
 */
export interface Container extends Parent {
  type: 'container'
  tagName: 'div' | 'aside' | 'details' | 'section' | 'dl' | 'dt' | 'dd'
  className: string[]
  /** Shown first: a `<summary>` in a dropdown, a title paragraph elsewhere. */
  title: PhrasingContent[] | undefined
  /** A dropdown shown open at first. Default: closed. */
  open?: boolean
  label: string | undefined
  /** What the label names, for link text: a glossary term, or any block. */
  targetKind: 'term' | 'block' | undefined
  children: FlowContent[]
  data?: Data
}

/** An inline element: `{sub}`, `{sup}`, `{kbd}`, `{u}`, `{abbr}` and friends. */
export interface InlineElement extends Parent {
  type: 'inlineElement'
  tagName: 'sub' | 'sup' | 'kbd' | 'u' | 'abbr' | 'del' | 'small' | 'span'
  title: string | undefined
  className: string[]
  children: PhrasingContent[]
  data?: Data
}

/** Where `{tableofcontents}` was written; replaced by a list of links once the contents are known. */
export interface ContentsList extends Node {
  type: 'contentsList'
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    /** An image standing on its own, as `{image}` and `{figure}` make it. */
    image: Image
    math: DisplayMath
    figure: Figure
    container: Container
    contentsList: ContentsList
    iframe: Frame
    mermaid: Diagram
    embed: Embed
  }
  interface RootContentMap {
    math: DisplayMath
    inlineMath: InlineMath
    figure: Figure
    container: Container
    inlineElement: InlineElement
    contentsList: ContentsList
    iframe: Frame
    mermaid: Diagram
    embed: Embed
  }
  interface PhrasingContentMap {
    inlineMath: InlineMath
    inlineElement: InlineElement
  }
  interface Data {
    /** MathML made from a math node's TeX at parse time. */
    mathml?: string
    /** Which `+++` part a block belongs to (`abstract`, …). */
    part?: string
    /** A subfigure's letter within its figure (`a`), given with the number. */
    letter?: string
  }
  interface CodeData {
    /** Show each line's number (MyST's `:linenos:`). Default: no numbers. */
    showLineNumbers?: boolean
    /** The first line's number. Default: 1. */
    startingLineNumber?: number
    /** Lines to mark, counted from 1 as shown. Default: none. */
    emphasizeLines?: number[]
  }
  interface TableData {
    /**
     * How many rows, from the top, are header rows (MyST's `:header-rows:`).
     * Default: the first row only, as mdast has it.
     */
    headerRows?: number
  }
  interface LinkData {
    /** Link text with `%s` or `{number}` where the target's number goes (`{numref}`). */
    template?: string
    /** The role that made this link, for messages. */
    role?: string
  }
}
