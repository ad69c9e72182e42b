// Phase one of cross-page work: read what a page offers and asks for into
// plain data. Nothing here looks at another page.

import type { Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit, SKIP } from '../markdown/visit.js'
import type { Chapter } from '../load/toc.js'
import type { ParsedChapter } from '../markdown/parse.js'
import type { HeadingFact } from '../markdown/headings.js'
import type { AddressedId, Finding, Horizon } from '../markdown/nodes.js'
import { placeOf, type Place } from '../messages.js'

export interface QuoteFact {
  attribution: string
  place: Place
  paraphrased: boolean
  /** The finding the quote sits in, if any. */
  finding: string | undefined
  /** The quoted words as plain text, paragraphs separated by blank lines (for review sheets). */
  text: string
}

export interface FindingFact {
  id: string
  title: string
  /** One line for the findings page: the `summary` attribute, or the first sentence of its first paragraph; empty when it has neither. */
  summary: string
  place: Place
  quotes: QuoteFact[]
}

export interface RecommendationFact {
  id: string
  title: string
  place: Place
  addresses: AddressedId[]
  audience: string | undefined
  horizons: Horizon[]
}

export interface PageFacts {
  slug: string
  /** Path inside the content folder. */
  path: string
  /** Path shown in messages. */
  file: string
  title: string
  /** A label that names the whole page: MyST's `(label)=` written just before its title heading. */
  label?: string
  shortTitle: string
  description: string | undefined
  parts: string[]
  headings: HeadingFact[]
  findings: FindingFact[]
  recommendations: RecommendationFact[]
  quotes: QuoteFact[]
}

export function collectPage(chapter: Chapter, parsed: ParsedChapter): PageFacts {
  const { tree } = parsed
  const findings: FindingFact[] = []
  const recommendations: RecommendationFact[] = []
  const quotes: QuoteFact[] = []

  const collectQuotes = (root: Root | Finding, finding: string | undefined, into: QuoteFact[]) => {
    visit(root, (node) => {
      if (node.type !== 'quote') return
      into.push({
        attribution: node.attribution.text,
        place: node.attribution.place,
        paraphrased: node.paraphrased,
        finding,
        text: node.children.map((block) => toString(block, { includeHtml: false }).replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n\n'),
      })
    })
  }

  visit(tree, (node) => {
    if (node.type === 'finding') {
      const fact: FindingFact = { id: node.id, title: node.titleText, summary: node.summary ?? firstSentence(node), place: placeOf(node), quotes: [] }
      collectQuotes(node, node.id, fact.quotes)
      findings.push(fact)
      quotes.push(...fact.quotes)
      return SKIP
    }
    if (node.type === 'quote') {
      collectQuotes({ type: 'root', children: [node] }, undefined, quotes)
      return SKIP
    }
    if (node.type === 'recommendation') {
      recommendations.push({
        id: node.id,
        title: node.titleText,
        place: placeOf(node),
        addresses: node.addresses,
        audience: node.audience,
        horizons: node.horizons,
      })
    }
    return undefined
  })

  const title = chapter.tocTitle ?? parsed.frontMatter.title ?? parsed.title?.text ?? fallbackTitle(chapter.source.path)
  return {
    slug: chapter.slug,
    path: chapter.source.path,
    file: chapter.source.display,
    title,
    ...(parsed.title?.label === undefined ? {} : { label: parsed.title.label }),
    shortTitle: parsed.frontMatter.short_title ?? title,
    description: parsed.frontMatter.description,
    parts: chapter.parts,
    headings: parsed.headings,
    findings,
    recommendations,
    quotes,
  }
}

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' })

/** The first sentence of a finding's first paragraph, as plain text. */
function firstSentence(finding: Finding): string {
  const paragraph = finding.children.find((child) => child.type === 'paragraph')
  const words = paragraph ? toString(paragraph, { includeHtml: false }).replace(/\s+/g, ' ').trim() : ''
  for (const { segment } of sentences.segment(words)) return segment.trim()
  return ''
}

function fallbackTitle(path: string): string {
  const stem = path.replace(/\.md$|\.ipynb$/i, '').split('/').pop() ?? path
  const words = (stem === 'index' ? 'Home' : stem).replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
