// Turn a resolved chapter tree into HTML. Our nodes get their handlers here;
// raw HTML is parsed and everything passes through one sanitizer, so what an
// author writes can never carry a script into a reader's browser.

import type { Element, ElementContent, Root as HastRoot } from 'hast'
import { raw } from 'hast-util-raw'
import type { Paragraph, PhrasingContent, Root } from 'mdast'
import { defaultHandlers, type Handlers, type State } from 'mdast-util-to-hast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified, type Plugin } from 'unified'
import { visit } from '../markdown/visit.js'
import { indexedList } from '../markdown/linear.js'
import type { Callout, Finding, Quote, Recommendation } from '../markdown/nodes.js'
import { cutTitle, type ItemLink, type LinkTarget } from '../site/resolve.js'
import type { Message } from '../messages.js'
import type { SourceLines } from '../markdown/source.js'
import { mystHandlers, regroupRows } from './myst.js'
import { citationHandlers } from './references.js'
import { statementHandlers } from './statements.js'
import { findFeatures, type PageFeatures } from './features.js'
import { auditTree, cleanTree } from './sanitize.js'
import { fragment } from './urls.js'

export { sanitizeSchema } from './sanitize.js'

export interface RenderContext {
  /** The href of a resolved internal target, as seen from the page being written. */
  href(target: LinkTarget): string
  /** The id an anchor of `page` takes in this output. The full report keeps headings apart per chapter. */
  anchorId(page: string, id: string): string
  /** The href of a participant's row on the participants page. */
  participantHref(id: string): string
  /** The href of a content file (an image, a download), published at its content path. */
  assetHref(path: string): string
  /** Levels to add to every heading: 1 in the full report, where chapters sit under its own title. */
  headingShift: number
  /** Report what the sanitizer removes, placed in this chapter's source. Default: not reported (the full report repeats the chapters). */
  audit?: { file: string; source: SourceLines; messages: Message[] }
  /** The report's rehype plugins, run after ours and before the sanitizer (docs/plugins.md). Default: none. */
  plugins?: readonly Plugin[]
  /** Filled in with the frames and diagrams the sanitized body holds, for the page's policy and scripts. Default: not collected. */
  features?: PageFeatures
}

const calloutTitles: Record<Callout['kind'], string> = {
  note: 'Note',
  tip: 'Tip',
  important: 'Important',
  warning: 'Warning',
  hint: 'Hint',
  caution: 'Caution',
  attention: 'Attention',
  danger: 'Danger',
  error: 'Error',
  seealso: 'See also',
}

export function renderBody(tree: Root, page: string, context: RenderContext): string {
  const handlers: Handlers = {
    finding: (state: State, node: Finding) => renderItem(state, node, 'finding', 'Finding', 'Addressed by', 'Recommendation', context),
    recommendation: (state: State, node: Recommendation) =>
      renderItem(state, node, 'recommendation', 'Recommendation', 'Responds to', 'Finding', context),
    quote: (state: State, node: Quote) => renderQuote(state, node, page, context),
    callout: (state: State, node: Callout): Element => {
      const title = node.title ? state.all(paragraph(node.title)) : [text(calloutTitles[node.kind])]
      const id = node.label === undefined ? {} : { id: context.anchorId(page, node.label) }
      const className = ['callout', `callout-${node.kind}`, ...(node.className ?? [])]
      if (node.dropdown) {
        const open = node.dropdown === 'open' ? { open: true } : {}
        return h('details', { className, ...id, ...open }, [
          h('summary', { className: ['callout-title'] }, title),
          ...state.all(node),
        ])
      }
      return h('div', { className, role: 'note', ...id }, [
        h('p', { className: ['callout-title'] }, title),
        ...state.all(node),
      ])
    },
    ...mystHandlers(page, context),
    ...citationHandlers(page, context),
    ...statementHandlers(page, context),
    heading(state, node) {
      const element = defaultHandlers.heading(state, { ...node, depth: shift(node.depth, context) })
      const id = element.properties['id']
      if (typeof id === 'string') {
        element.properties['id'] = context.anchorId(page, id)
        linkToSelf(element)
      }
      return element
    },
    // Wide tables scroll inside their own box rather than widening the page.
    table(state, node) {
      const table = defaultHandlers.table(state, node)
      if (node.data?.headerRows !== undefined) regroupRows(table, node.data.headerRows)
      return h('div', { className: ['table-wrap'] }, [table])
    },
    // The default handler finds a row's place among all the rows to know whether it is the first: quadratic in their number.
    tableRow(state, node, parent) {
      if (parent?.type !== 'table') return defaultHandlers.tableRow(state, node, parent)
      const first = parent.children[0] === node
      return defaultHandlers.tableRow(state, node, { ...parent, children: first ? [node] : [parent.children[0]!, node] })
    },
    link(state, node) {
      // A reference that leads nowhere (reported) is shown as text, never as a link without a target.
      const unresolved = node.data?.unresolved
      if (unresolved !== undefined) {
        return h('span', { className: ['reference-unresolved'] }, node.children.length > 0 ? state.all(node) : [text(unresolved)])
      }
      const element = defaultHandlers.link(state, node)
      if (node.data?.target) element.properties['href'] = context.href(node.data.target)
      if (node.data?.asset) element.properties['href'] = context.assetHref(node.data.asset)
      return element
    },
    image(state, node) {
      // A missing image (reported) is a visible placeholder that says what should be there.
      const missing = node.data?.missing
      if (missing !== undefined) {
        const alt = (node.alt ?? '').trim()
        return h('span', { className: ['image-missing'] }, [text(alt === '' ? `Missing image: ${missing}` : `${alt} (missing image: ${missing})`)])
      }
      const element = defaultHandlers.image(state, node)
      if (node.data?.asset) element.properties['src'] = context.assetHref(node.data.asset)
      if (node.data?.output) element.properties['src'] = context.assetHref(node.data.output)
      return element
    },
    // The default handler numbers a note by looking it up in the list of notes so far: quadratic in their number.
    footnoteReference(state, node) {
      indexedList(state.footnoteOrder)
      return defaultHandlers.footnoteReference(state, node)
    },
  }

  // The render half of the unified pipeline: remark-rehype with our handlers, raw HTML parsed
  // and audited, the report's rehype plugins, then the sanitizer, last, so that nothing a plugin
  // adds escapes it.
  const processor = unified()
    .use(remarkRehype, { handlers, allowDangerousHtml: true, clobberPrefix: `${page.replace(/\//g, '-') || 'home'}-`, footnoteLabelTagName: 'h2' })
    .use(rehypeRawAudited, context.audit)
    .use([...(context.plugins ?? [])])
    .use(rehypeClean, { page, features: context.features })
    .use(rehypeStringify)
  return processor.stringify(processor.runSync(tree) as HastRoot)
}

/** Raw HTML parsed by the HTML standard's algorithm; with the chapter's text, what the sanitizer will take out is reported where it stands. */
function rehypeRawAudited(audit: RenderContext['audit']) {
  return (tree: HastRoot): HastRoot => {
    // A directive's frame passes through as it is: raw HTML cannot make one (see sanitize.ts).
    const parsed = hasRaw(tree) ? (raw(tree, { passThrough: ['frame'], ...(audit ? { file: sourceFile(audit.source) } : {}) }) as HastRoot) : tree
    if (audit) audit.messages.push(...auditTree(parsed, audit.file, audit.source))
    return parsed
  }
}

/** The allowlist, the footnote heading's id made the page's own, and what the clean body needs from its page. */
function rehypeClean({ page, features }: { page: string; features: PageFeatures | undefined }) {
  return (tree: HastRoot): HastRoot => {
    const clean = cleanTree(tree)
    keepFootnoteLabelUnique(clean, page)
    if (features) findFeatures(clean, features)
    return clean
  }
}

function renderItem(
  state: State,
  node: Finding | Recommendation,
  kind: 'finding' | 'recommendation',
  label: string,
  relation: string,
  relatedLabel: string,
  context: RenderContext,
): Element {
  const number = node.data?.number
  const titleId = `${node.id}-title`
  // The number is the item's permalink: "Finding 12" links to the finding itself.
  const heading = h(`h${shift(Math.max(node.depth, 2), context)}`, { id: titleId, className: [`${kind}-title`] }, [
    h('a', { href: fragment(node.id), className: ['item-number'] }, [text(number === undefined ? label : `${label} ${number}`)]),
    text(' '),
    ...state.all(paragraph(node.title)),
  ])
  const parts: ElementContent[] = [heading]
  if (node.type === 'recommendation') parts.push(...recommendationMeta(node))
  parts.push(...state.all(node))
  parts.push(relatedList(node.data?.related ?? [], relation, relatedLabel, context))
  return h('section', { id: node.id, className: [kind], ariaLabelledBy: [titleId] }, parts)
}

function recommendationMeta(node: Recommendation): Element[] {
  const rows: ElementContent[] = []
  if (node.audience) rows.push(h('dt', {}, [text('Audience')]), h('dd', {}, [text(node.audience)]))
  if (node.horizons.length > 0) rows.push(h('dt', {}, [text('Horizon')]), h('dd', {}, [text(node.horizons.join(', '))]))
  return rows.length > 0 ? [h('dl', { className: ['item-meta'] }, rows)] : []
}

function relatedList(items: ItemLink[], relation: string, label: string, context: RenderContext): Element {
  const body: ElementContent[] =
    items.length === 0
      ? [h('p', {}, [text(relation === 'Addressed by' ? 'No recommendation addresses this finding yet.' : 'No findings listed.')])]
      : [
          h(
            'ul',
            {},
            items.map((item) =>
              h('li', {}, [h('a', { href: context.href(item.target) }, [text(cutTitle(`${label} ${item.number}: ${item.title}`))])]),
            ),
          ),
        ]
  return h('div', { className: ['related'] }, [h('p', { className: ['related-label'] }, [text(relation)]), ...body])
}

/**
 * A heading's permalink: its text links to the heading itself, which costs a page a few bytes per heading and
 * works without scripts. A heading that already holds a link (which cannot hold another) gets a `#` after its text.
 */
function linkToSelf(heading: Element): void {
  const href = fragment(String(heading.properties['id']))
  let nested = false
  visit(heading, 'element', (node: Element) => {
    if (node.tagName === 'a') nested = true
  })
  if (nested) heading.children.push(text(' '), h('a', { href, className: ['permalink'], ariaLabel: 'Link to this section' }, [text('#')]))
  else heading.children = [h('a', { href, className: ['permalink'] }, heading.children)]
}

function renderQuote(state: State, node: Quote, page: string, context: RenderContext): Element {
  const caption: ElementContent[] = [h('span', { className: ['dash'], ariaHidden: 'true' }, [text('— ')])]
  const participant = node.data?.participant
  if (participant) {
    caption.push(
      h('a', { href: context.participantHref(participant.id), className: ['participant'] }, [text(participant.id)]),
      text(participant.name ? `, ${participant.name}, ${participant.role}` : `, ${participant.role}`),
    )
    if (participant.context) caption.push(text(` (${participant.context})`))
  } else {
    caption.push(...state.all(paragraph(node.attribution.content)))
  }
  if (node.paraphrased) caption.push(text(' '), h('span', { className: ['paraphrase-mark'] }, [text('Paraphrased')]))
  // A quote in a finding is named by the finding, whose id is the report's own; another is named within its page.
  const id = node.anchor === undefined ? undefined : node.anchor.startsWith('q-') ? node.anchor : context.anchorId(page, node.anchor)
  // First in the figure (its caption must stay first or last), and set in its corner by the style sheet.
  const permalink = id === undefined ? [] : [h('a', { href: fragment(id), className: ['permalink'], ariaLabel: 'Link to this quote' }, [text('#')])]
  return h('figure', { className: node.paraphrased ? ['quote', 'paraphrased'] : ['quote'], ...(id === undefined ? {} : { id }) }, [
    ...permalink,
    h('blockquote', {}, state.all(node)),
    h('figcaption', {}, caption),
  ])
}

function keepFootnoteLabelUnique(tree: HastRoot, page: string): void {
  const id = `${page.replace(/\//g, '-') || 'home'}-footnote-label`
  visit(tree, 'element', (node: Element) => {
    if (node.properties['id'] === 'footnote-label') node.properties['id'] = id
    const describedBy = node.properties['ariaDescribedBy']
    if (Array.isArray(describedBy) && describedBy.includes('footnote-label')) node.properties['ariaDescribedBy'] = [id]
  })
}

function shift(depth: number, context: RenderContext): 1 | 2 | 3 | 4 | 5 | 6 {
  return Math.min(depth + context.headingShift, 6) as 1 | 2 | 3 | 4 | 5 | 6
}

/** hast-util-raw reads positions from anything that prints as the document. */
function sourceFile(source: SourceLines): NonNullable<Parameters<typeof raw>[1]>['file'] {
  return { toString: () => source.text } as NonNullable<Parameters<typeof raw>[1]>['file']
}

function hasRaw(tree: HastRoot): boolean {
  let found = false
  visit(tree, 'raw', () => {
    found = true
    return false
  })
  return found
}

function paragraph(children: PhrasingContent[]): Paragraph {
  return { type: 'paragraph', children }
}

export function h(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children }
}

export function text(value: string): ElementContent {
  return { type: 'text', value }
}
