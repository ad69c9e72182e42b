// Merge every page's facts into one site index: plain data that numbers the
// findings and recommendations, links them both ways, counts the evidence,
// and reports what does not fit together.

import type { Participant, ParticipantRegistry } from '../config/participants.js'
import type { HeadingFact } from '../markdown/headings.js'
import type { Horizon } from '../markdown/nodes.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { readLabel } from '../privacy/lookalikes.js'
import { hintFor, nearest, suggestionsFrom, type Suggestions } from '../suggest.js'
import type { PageFacts, QuoteFact } from './collect.js'

export interface IndexedFinding {
  id: string
  number: number
  title: string
  page: string
  file: string
  place: Place
  /** Its one-line summary (see FindingFact). */
  summary: string
  /** Ids of the recommendations that address it, in their order. */
  addressedBy: string[]
  /** Quotes from registered participants. */
  quoteCount: number
  participants: string[]
}

export interface IndexedRecommendation {
  id: string
  number: number
  title: string
  page: string
  file: string
  place: Place
  audience: string | undefined
  horizons: Horizon[]
  /** Finding ids it addresses that exist, in the order written. */
  addresses: string[]
}

export interface IndexedParticipant extends Participant {
  quoteCount: number
  /** Finding ids they are quoted in, in reading order. */
  findings: string[]
}

export interface SiteIndex {
  /** Pages in reading order. */
  pages: PageFacts[]
  pagesBySlug: Map<string, PageFacts>
  pagesByPath: Map<string, PageFacts>
  findings: Map<string, IndexedFinding>
  recommendations: Map<string, IndexedRecommendation>
  /** Heading ids of each page. */
  headings: Map<string, Map<string, HeadingFact>>
  /** Which pages have a heading with this id. */
  headingPages: Map<string, string[]>
  /** Pages named by a label before their title heading (MyST), by label: the first page to take it. */
  pageLabels: Map<string, string>
  participants: Map<string, IndexedParticipant>
  hasRegistry: boolean
}

/**
 * Who an attribution names: the whole text (`P07`), or its first word followed
 * by context (`P07, second interview`). The label is read as a reader reads it,
 * so that consent cannot be slipped past by spelling: a full-width `Ｐ０７`, or
 * `Р07` with a Cyrillic `Р`, is P07.
 */
export function matchParticipant<T>(text: string, byId: ReadonlyMap<string, T>): { participant: T; id: string; context: string | undefined } | undefined {
  const label = readLabel(text)
  const whole = byId.get(label)
  if (whole) return { participant: whole, id: label, context: undefined }
  const split = /^([^\s,;:()，；：（）]+)[,;:，；：]?\s+(.+)$/.exec(text)
  if (!split) return undefined
  const id = readLabel(split[1]!)
  const head = byId.get(id)
  return head && { participant: head, id, context: split[2]!.replace(/^[(（](.*)[)）]$/, '$1') }
}

/** The shape of a participant label, such as P7 or P23. */
export const participantLike = /^[A-Za-z]{1,3}-?\d{1,4}$/

export function indexSite(pages: PageFacts[], registry: ParticipantRegistry | undefined): { index: SiteIndex; messages: Message[] } {
  const messages: Message[] = []
  const findings = new Map<string, IndexedFinding>()
  const recommendations = new Map<string, IndexedRecommendation>()
  const firstDefined = new Map<string, { file: string; place: Place }>()

  const claim = (id: string, file: string, place: Place): boolean => {
    const earlier = firstDefined.get(id)
    if (earlier) {
      messages.push(
        createMessage(
          'id-unique',
          file,
          place,
          `The id \`${id}\` is already used at ${earlier.file}:${earlier.place.line}:${earlier.place.column}`,
          'Ids must be unique across the whole report; rename one of them.',
        ),
      )
      return false
    }
    firstDefined.set(id, { file, place })
    return true
  }

  for (const page of pages) {
    for (const f of page.findings) {
      if (!claim(f.id, page.file, f.place)) continue
      findings.set(f.id, {
        id: f.id,
        number: findings.size + 1,
        title: f.title,
        summary: f.summary,
        page: page.slug,
        file: page.file,
        place: f.place,
        addressedBy: [],
        quoteCount: 0,
        participants: [],
      })
    }
    for (const r of page.recommendations) {
      if (!claim(r.id, page.file, r.place)) continue
      recommendations.set(r.id, {
        id: r.id,
        number: recommendations.size + 1,
        title: r.title,
        page: page.slug,
        file: page.file,
        place: r.place,
        audience: r.audience,
        horizons: r.horizons,
        addresses: [],
      })
    }
  }

  const headings = new Map<string, Map<string, HeadingFact>>()
  const headingPages = new Map<string, string[]>()
  for (const page of pages) {
    headings.set(page.slug, new Map(page.headings.map((h) => [h.id, h])))
    for (const h of page.headings) {
      const list = headingPages.get(h.id) ?? []
      list.push(page.slug)
      headingPages.set(h.id, list)
    }
  }
  const pageLabels = new Map<string, string>()
  for (const page of pages) if (page.label !== undefined && !pageLabels.has(page.label)) pageLabels.set(page.label, page.slug)
  // Pairs already linked, and names looked up, without scanning the lists: a report may have thousands of each.
  const linked = new Set<string>()
  const pageNames = new Set(pages.flatMap((p) => [p.slug, p.path]))
  let findingIds: Suggestions | undefined

  // Recommendations point at findings; findings learn who answers them.
  for (const page of pages) {
    for (const r of page.recommendations) {
      const rec = recommendations.get(r.id)
      // Only the one that claimed the id (it holds that one's place): a repeat was reported above.
      if (!rec || rec.place !== r.place) continue
      if (r.addresses.length === 0) {
        messages.push(
          createMessage(
            'recommendation-addresses-something',
            page.file,
            r.place,
            `Recommendation \`${r.id}\` does not say which findings it addresses`,
            'Add `addresses="finding-id other-finding-id"` to its braces.',
          ),
        )
      }
      for (const target of r.addresses) {
        const finding = findings.get(target.id)
        if (finding) {
          if (!linked.has(`${rec.id}\0${finding.id}`)) {
            linked.add(`${rec.id}\0${finding.id}`)
            rec.addresses.push(finding.id)
            finding.addressedBy.push(rec.id)
          }
          continue
        }
        const kind = recommendations.has(target.id)
          ? 'a recommendation'
          : headingPages.has(target.id)
            ? 'a heading'
            : pageNames.has(target.id)
              ? 'a chapter'
              : undefined
        messages.push(
          createMessage(
            'addresses-finding-exists',
            page.file,
            target.place,
            kind
              ? `Recommendation \`${r.id}\` addresses \`${target.id}\`, which is ${kind}, not a finding`
              : `Recommendation \`${r.id}\` addresses \`${target.id}\`, but no finding has that id`,
            hintFor(target.id, (findingIds ??= suggestionsFrom(findings.keys())), 'List the ids of findings, as written in `:::finding{#id}`.'),
          ),
        )
      }
    }
  }

  if (recommendations.size > 0) {
    for (const finding of findings.values()) {
      if (finding.addressedBy.length > 0) continue
      messages.push(
        createMessage(
          'finding-addressed',
          finding.file,
          finding.place,
          `Finding ${finding.number} (\`${finding.id}\`) is not addressed by any recommendation`,
          `Add \`${finding.id}\` to the \`addresses\` of the recommendation that answers it.`,
        ),
      )
    }
  }

  const participants = new Map<string, IndexedParticipant>()
  const quoted = new Set<string>()
  for (const p of registry?.list ?? []) participants.set(p.id, { ...p, quoteCount: 0, findings: [] })
  for (const page of pages) {
    for (const quote of page.quotes) {
      const problem = checkAttribution(quote, page.file, registry)
      if (problem) messages.push(problem)
      const participant = matchParticipant(quote.attribution, participants)?.participant
      if (!participant || participant.consent === 'no-quotes') continue
      participant.quoteCount++
      const pair = `${participant.id}\0${quote.finding ?? ''}`
      const first = !quoted.has(pair)
      quoted.add(pair)
      if (quote.finding && first) participant.findings.push(quote.finding)
      const finding = quote.finding ? findings.get(quote.finding) : undefined
      if (finding) {
        finding.quoteCount++
        if (first) finding.participants.push(participant.id)
      }
    }
  }

  return {
    index: {
      pages,
      pagesBySlug: new Map(pages.map((p) => [p.slug, p])),
      pagesByPath: new Map(pages.map((p) => [p.path, p])),
      findings,
      recommendations,
      headings,
      headingPages,
      pageLabels,
      participants,
      hasRegistry: registry !== undefined,
    },
    messages,
  }
}

function checkAttribution(quote: QuoteFact, file: string, registry: ParticipantRegistry | undefined): Message | undefined {
  const participant = registry ? matchParticipant(quote.attribution, registry.byId)?.participant : undefined
  if (participant?.consent === 'no-quotes') {
    return createMessage(
      'quote-consent-allows',
      file,
      quote.place,
      `${participant.id} did not consent to being quoted (consent: no-quotes)`,
      'Remove the quote, or describe the point in your own words without attributing it.',
    )
  }
  // Without a registry every attribution is shown as written, as MyST does.
  const label = readLabel(quote.attribution.split(/[\s,;:，；：]/)[0] ?? '')
  if (!registry || participant || !participantLike.test(label)) return undefined
  const close = nearest(label, registry.byId.keys())
  return createMessage(
    'quote-participant-known',
    file,
    quote.place,
    `The quote is attributed to ${label}, who is not in participants.yml`,
    close ? `Did you mean ${close}? Otherwise add ${label} to participants.yml.` : `Add ${label} to participants.yml with a role and consent.`,
  )
}
