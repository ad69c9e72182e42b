// The privacy guard on the content: look for every string of the private
// roster in every file an author writes (chapters with their front matter,
// alt text and footnotes, report.yml, participants.yml) and in every file's
// name. A match is an error at its place that says whose name it is without
// printing it. Participants who agreed to be named are not checked.

import type { ParticipantRegistry } from '../config/participants.js'
import type { ProjectSources, SourceFile } from '../load/files.js'
import { createMessage, placeAt, type Message, type Place } from '../messages.js'
import { createMatcher, maskSecret, type RosterMatch, type Roster } from './roster.js'

export function scanContent(sources: ProjectSources, roster: Roster, registry: ParticipantRegistry | undefined): Message[] {
  const guarded = roster.participants.filter((p) => registry?.byId.get(p.id)?.consent !== 'named')
  const matcher = createMatcher(guarded)
  const messages: Message[] = []

  const texts: { file: SourceFile; markdown: boolean }[] = [
    ...sources.markdown.map((file) => ({ file, markdown: true })),
    // A notebook's cells and outputs are JSON strings: read as markdown, a name split by an escape is still found.
    ...(sources.notebooks ?? []).map((file) => ({ file, markdown: true })),
    ...[sources.report, sources.participants].filter((f) => f !== undefined).map((file) => ({ file, markdown: false })),
  ]
  for (const { file, markdown } of texts) {
    for (const match of matcher.find(file.text, markdown ? 'markdown' : 'text')) {
      messages.push(
        createMessage(
          'private-name-absent',
          file.display,
          placeAt(file.text, match.start),
          `${describe(match)}, appears here`,
          `Refer to the participant by their label (${match.id}) or role, and word the passage so that they cannot be recognised.`,
        ),
      )
    }
  }

  const names = [...texts.map(({ file }) => file), ...(sources.assets ?? [])]
  for (const file of names) {
    for (const match of matcher.find(file.path, 'path')) {
      messages.push(
        createMessage(
          'private-name-absent',
          file.display,
          undefined,
          `The file's name contains ${describe(match).replace(/^A/, 'a')}`,
          'Rename the file (and the links to it), using the participant\'s label or a neutral word.',
        ),
      )
    }
  }
  return messages
}

function describe(match: RosterMatch): string {
  const what = match.kind === 'name' ? `A real name of ${match.id}` : `An identifying detail of ${match.id}`
  return `${what} from the private roster, ${maskSecret(match.secret)}`
}
