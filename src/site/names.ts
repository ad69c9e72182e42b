// Names that become addresses: chapter file names become folders of the site,
// and finding and recommendation ids become anchors. Both must be safe to use
// as paths and URLs on every system the site may be built or served on, and
// must not differ only in case: on case-insensitive file systems and servers
// (macOS, Windows, many hosts) two such pages or anchors are one. Text is in
// Unicode form C from the loader on, so names that differ only in how an
// accent was typed are already the same name, and are reported as repeated.

import type { Chapter } from '../load/toc.js'
import { createMessage, type Message, type Place } from '../messages.js'
import type { PageFacts } from './collect.js'

// Characters that mean something else in a path or URL, or that Windows does not allow in file names.
const unsafeCharacter = /[\u0000-\u001f\u007f\\<>:"|?*#%]/u
const reservedOnWindows = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i

/** Chapter paths that could not be published safely, and chapters whose addresses differ only in case. */
export function checkPagePaths(chapters: readonly Chapter[]): Message[] {
  const messages: Message[] = []
  const byFolded = new Map<string, Chapter>()
  for (const chapter of chapters) {
    // The address is the slug, not the file name: `a..md` is the folder `a.`, which Windows cannot hold.
    const segments = [...chapter.source.path.split('/'), ...(chapter.slug === '' ? [] : chapter.slug.split('/'))]
    const unsafe = segments.map(segmentProblem).find((p) => p !== undefined)
    const problem = unsafe ?? formProblem(chapter.source.path)
    if (problem) {
      messages.push(
        createMessage(
          'page-path-safe',
          chapter.source.display,
          undefined,
          `This file's name ${problem}, so it cannot safely become the address of a page`,
          unsafe
            ? 'Rename the file using letters, digits, spaces, `-`, `_` and `.` only, such as `field-notes.md`.'
            : 'Rename the file by typing its name again, so that each accented letter is one character (or use a name without accents).',
        ),
      )
    }
    const folded = chapter.slug.normalize('NFC').toLowerCase()
    const other = byFolded.get(folded)
    if (other && other.slug !== chapter.slug) {
      const how = other.slug.normalize('NFC') === chapter.slug.normalize('NFC') ? 'only in how its accents are stored' : 'only in case'
      messages.push(
        createMessage(
          'page-path-unique',
          chapter.source.display,
          undefined,
          `This chapter would be published at /${chapter.slug}/, which differs ${how} from /${other.slug}/ (${other.source.display})`,
          how === 'only in case'
            ? 'Many servers and file systems ignore case, so one page would replace the other: rename one of the files.'
            : 'The two names look the same, and macOS and many servers treat them as one, so one page would replace the other: rename or delete one of the files.',
        ),
      )
    }
    if (!other) byFolded.set(folded, chapter)
  }
  return messages
}

/** A name whose accents are stored as separate marks (Unicode form D, as old macOS disks keep them) matches no link typed in the text, which is in form C. */
function formProblem(path: string): string | undefined {
  return path === path.normalize('NFC') ? undefined : 'stores its accents as separate marks (Unicode form D)'
}

function segmentProblem(segment: string): string | undefined {
  const bad = unsafeCharacter.exec(segment)?.[0]
  if (bad !== undefined) return `contains ${/[\u0000-\u001f\u007f]/.test(bad) ? 'a control character' : `\`${bad}\``}`
  if (segment !== segment.trim()) return 'starts or ends with a space'
  if (segment.endsWith('.') || segment === '') return 'has an empty or dot-ended part'
  if (reservedOnWindows.test(segment)) return `is \`${segment}\`, a name Windows reserves for devices`
  return undefined
}

/** An id: letters and digits of any script, then also `-`, `_`, `.` and `:`. No spaces, quotes or slashes. */
export const idForm = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}_.:-]*$/u

/** Finding and recommendation ids that are not usable as anchors, or that differ from another only in case. */
export function checkIds(pages: readonly PageFacts[]): Message[] {
  const messages: Message[] = []
  const byFolded = new Map<string, { id: string; file: string; place: Place }>()
  for (const page of pages) {
    for (const item of [...page.findings, ...page.recommendations].sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column)) {
      if (!idForm.test(item.id)) {
        messages.push(
          createMessage(
            'id-form-valid',
            page.file,
            item.place,
            `The id \`${item.id}\` cannot be used as an anchor: ids are letters and digits, joined by \`-\`, \`_\`, \`.\` or \`:\``,
            `Use a short id such as \`${suggestId(item.id)}\`.`,
          ),
        )
      }
      const folded = item.id.toLowerCase()
      const other = byFolded.get(folded)
      if (other && other.id !== item.id) {
        messages.push(
          createMessage(
            'id-unique',
            page.file,
            item.place,
            `The id \`${item.id}\` differs only in case from \`${other.id}\` at ${other.file}:${other.place.line}:${other.place.column}`,
            'Links to anchors are easily mistyped in case, and some tools ignore it: make the ids differ in more than case.',
          ),
        )
      }
      if (!other) byFolded.set(folded, { id: item.id, file: page.file, place: item.place })
    }
  }
  return messages
}

function suggestId(id: string): string {
  const cleaned = id
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return cleaned || 'my-finding'
}
