// Limits that keep a hostile or broken chapter from stalling or crashing the
// build. The markdown parser slows down sharply on very large files and on
// deeply nested lists and quotes, and the tree utilities after it recurse once
// per level, so both are refused before parsing, with the place where the limit
// is crossed. Real reports stay far below either limit.

import { createMessage, type Message } from '../messages.js'

/** Characters (UTF-16 code units) a chapter may have: about two megabytes of prose. */
export const maxChapterLength = 2 * 1024 * 1024

/** Levels of lists, quotes and directives one line may sit in, counting two columns of indentation as a level. */
export const maxNestingDepth = 100

/** Levels of raw HTML elements open at once. */
export const maxHtmlDepth = 200

const fence = /^ {0,3}(`{3,}|~{3,})/
const listMarker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/

/** Check a chapter's text against the limits; messages are errors, and a chapter with any is not parsed. */
export function checkLimits(text: string, file: string): Message[] {
  if (text.length > maxChapterLength) {
    const before = text.slice(0, maxChapterLength)
    const line = countLines(before)
    return [
      createMessage(
        'content-size-within-limit',
        file,
        { line, column: 1 },
        `This chapter has ${millions(text.length)} of text; a chapter may have at most ${millions(maxChapterLength)}, and this line is past the limit`,
        'Split the chapter into several files and list them in the toc; move transcripts and raw data out of the report.',
      ),
    ]
  }
  return checkNesting(text, file)
}

function checkNesting(text: string, file: string): Message[] {
  let inFence: string | undefined
  let directives = 0
  let html = 0
  const lines = text.split(/\r\n|\r|\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const opened = fence.exec(line)?.[1]
    if (inFence !== undefined) {
      if (opened && opened[0] === inFence[0] && opened.length >= inFence.length) inFence = undefined
      continue
    }
    if (opened) {
      inFence = opened
      continue
    }
    if (directiveOpen.test(line)) directives++
    else if (directiveClose.test(line)) directives = Math.max(directives - 1, 0)
    const depth = containerDepth(line)
    if (depth.levels + directives > maxNestingDepth) {
      return [
        createMessage(
          'nesting-depth-within-limit',
          file,
          { line: index + 1, column: depth.column },
          `This line sits about ${depth.levels + directives} levels deep in lists, quotes and directives; fieldnotes reads at most ${maxNestingDepth}`,
          'Flatten the structure: no report needs lists, quotes or directives nested this deep.',
        ),
      ]
    }
    // Raw HTML: count elements left open, leaving out code spans and elements HTML closes by itself.
    for (const tag of line.replace(/`[^`]*`/g, '').matchAll(htmlTag)) {
      const name = tag[2]!.toLowerCase()
      if (selfClosing.has(name) || tag[3] === '/') continue
      html += tag[1] === '/' ? -1 : 1
      if (html < 0) html = 0
      if (html > maxHtmlDepth) {
        return [
          createMessage(
            'nesting-depth-within-limit',
            file,
            { line: index + 1, column: tag.index + 1 },
            `Raw HTML here has more than ${maxHtmlDepth} elements open at once; fieldnotes reads at most ${maxHtmlDepth}`,
            'Close the elements you open, and flatten the HTML.',
          ),
        ]
      }
    }
  }
  return []
}

const directiveOpen = /^\s*:{3,}\s*[A-Za-z{]/
const directiveClose = /^\s*:{3,}\s*$/
const htmlTag = /<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(\/?)>/g
// Void elements, and elements whose end tag HTML lets an author leave out.
const selfClosing = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd tr td th thead tbody tfoot option optgroup rp rt colgroup caption'.split(' '),
)

/** How many list and quote levels the start of a line opens, and the column where the count passed the limit. */
function containerDepth(line: string): { levels: number; column: number } {
  let levels = 0
  let position = 0
  let width = 0
  let column = 1
  for (;;) {
    let spaces = 0
    while (position < line.length && (line[position] === ' ' || line[position] === '\t')) {
      spaces += line[position] === '\t' ? 4 - ((width + spaces) % 4) : 1
      position++
    }
    width += spaces
    levels += Math.floor(spaces / 2)
    const rest = line.slice(position)
    let marker = 0
    if (rest.startsWith('>')) marker = 1
    else marker = listMarker.exec(rest)?.[0].length ?? 0
    if (marker === 0) break
    levels++
    position += marker
    width += marker
    if (levels > maxNestingDepth && column === 1) column = position
  }
  return { levels, column: Math.max(column, 1) }
}

function countLines(text: string): number {
  let count = 1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) count++
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count++
  }
  return count
}

function millions(length: number): string {
  return `${(length / 1_000_000).toFixed(1)} million characters`
}
