// Does the evidence hold together? Every finding should rest on at least one
// quote, quotes count as evidence only inside a finding, and a participant in
// the registry who is never quoted may be a forgotten voice or a mistyped
// attribution. Read from every page's facts, so it runs after collecting.

import { idLines, type ParticipantRegistry } from '../config/participants.js'
import { boundedSearch } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message } from '../messages.js'
import type { PageFacts } from './collect.js'
import { matchParticipant } from './index.js'

export function checkEvidence(pages: readonly PageFacts[], registry: ParticipantRegistry | undefined, participants: SourceFile | undefined): Message[] {
  const messages: Message[] = []
  const quoted = new Set<string>()

  for (const page of pages) {
    for (const finding of page.findings) {
      if (finding.quotes.length > 0) continue
      messages.push(
        createMessage(
          'finding-has-quote',
          page.file,
          finding.place,
          `The finding \`${finding.id}\` has no quote to support it`,
          'Add a quote inside the finding: a blockquote whose last line is `— P07` (the participant\'s label).',
        ),
      )
    }
    for (const quote of page.quotes) {
      quoted.add((registry && matchParticipant(quote.attribution, registry.byId)?.id) ?? quote.attribution)
      if (quote.finding !== undefined) continue
      messages.push(
        createMessage(
          'quote-in-finding',
          page.file,
          quote.place,
          `This quote (${quote.attribution}) is outside any finding, so it is not counted as evidence`,
          'If it supports a finding, move it inside that `:::finding` block.',
        ),
      )
    }
  }

  // Where each participant is written, found once: the file may list thousands.
  let places: ReturnType<typeof idLines> | undefined
  const search = participants ? boundedSearch(participants.text) : undefined
  for (const participant of registry?.list ?? []) {
    if (participant.consent === 'no-quotes' || quoted.has(participant.id)) continue
    messages.push(
      createMessage(
        'participant-quoted',
        participants?.display ?? 'participants.yml',
        participants ? ((places ??= idLines(participants.text)).get(participant.id)?.[0] ?? search!(`id: ${participant.id}`)) : undefined,
        `${participant.id} is in participants.yml, but no quote is attributed to them`,
        `If that is on purpose there is nothing to do; otherwise check the attributions of their quotes (\`— ${participant.id}\`).`,
      ),
    )
  }
  return messages
}
