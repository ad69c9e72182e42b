// Limits that keep a hostile or broken chapter from stalling or crashing the
// build. The markdown parser slows down sharply on very large files and on
// deeply nested lists and quotes, and the tree utilities after it recurse once
// per level, so both are refused before parsing, with the place where the limit
// is crossed. Real reports stay far below either limit.

import type { Root, Table } from 'mdast'
import { visit } from './visit.js'
import { createMessage, type Message } from '../messages.js'

/** Characters (UTF-16 code units) a chapter may have: about two megabytes of prose. */
export const maxChapterLength = 2 * 1024 * 1024

/** Levels of lists, quotes and directives one line may sit in, counting two columns of indentation as a level. */
export const maxNestingDepth = 100

/** Levels of raw HTML elements open at once. */
export const maxHtmlDepth = 200

const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/
const listMarker = /(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/y

export interface LimitOptions {
  /** Read ```` ```{name} ```` fences as MyST directives, whose bodies are markdown, rather than as code. Default: false. */
  directiveFences?: boolean
  /** Levels already used where this text is put (the deepest nesting of the files that include it). Default: 0. */
  outerDepth?: number
  /** Line of the file where the text begins. Default: 1. */
  firstLine?: number
}

export interface LimitsRead {
  /** Errors; a text with any is not parsed. */
  messages: Message[]
  /** The deepest nesting found, counting `outerDepth`. */
  depth: number
}

/** Check a chapter's text against the limits; messages are errors, and a chapter with any is not parsed. */
export function checkLimits(text: string, file: string, options: LimitOptions = {}): Message[] {
  return readLimits(text, file, options).messages
}

/** The same, with how deep the text nests, for the limits of the files it includes. */
export function readLimits(text: string, file: string, options: LimitOptions = {}): LimitsRead {
  const firstLine = options.firstLine ?? 1
  if (text.length > maxChapterLength) {
    const before = text.slice(0, maxChapterLength)
    const line = firstLine - 1 + countLines(before)
    return {
      messages: [
        createMessage(
          'content-size-within-limit',
          file,
          { line, column: 1 },
          `This chapter has ${millions(text.length)} of text; a chapter may have at most ${millions(maxChapterLength)}, and this line is past the limit`,
          'Split the chapter into several files and list them in the toc; move transcripts and raw data out of the report.',
        ),
      ],
      depth: options.outerDepth ?? 0,
    }
  }
  return checkNesting(text, file, options)
}

function checkNesting(text: string, file: string, options: LimitOptions): LimitsRead {
  const outer = options.outerDepth ?? 0
  const firstLine = options.firstLine ?? 1
  const deep = (line: number, column: number, levels: number): Message =>
    createMessage(
      'nesting-depth-within-limit',
      file,
      { line: firstLine + line, column },
      outer > 0
        ? `This line sits about ${levels} levels deep in lists, quotes and directives, counting the ${outer} of the files that include it; fieldnotes reads at most ${maxNestingDepth}`
        : `This line sits about ${levels} levels deep in lists, quotes and directives; fieldnotes reads at most ${maxNestingDepth}`,
      'Flatten the structure: no report needs lists, quotes or directives nested this deep.',
    )
  // Open fences, innermost last: code, whose lines are skipped, or a MyST directive, whose body is markdown.
  const fences: { char: string; length: number; directive: boolean }[] = []
  // Directive fences open, and colon directives (`:::name`) open: a `:::` closes only the latter.
  let fenced = 0
  let colons = 0
  let html = 0
  let deepest = outer
  const lines = text.split(/\r\n|\r|\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const opened = fence.exec(line)
    const top = fences.at(-1)
    const closes = (f: { char: string; length: number } | undefined) =>
      f !== undefined && opened !== null && opened[1]![0] === f.char && opened[1]!.length >= f.length
    if (top && !top.directive) {
      if (closes(top)) fences.pop()
      continue
    }
    if (opened) {
      if (closes(top) && opened[2]!.trim() === '') {
        fences.pop()
        fenced--
        continue
      }
      const directive = options.directiveFences === true && opened[2]!.trim().startsWith('{')
      fences.push({ char: opened[1]![0]!, length: opened[1]!.length, directive })
      if (!directive) continue
      fenced++
      if (outer + fenced + colons > maxNestingDepth) return { messages: [deep(index, 1, outer + fenced + colons)], depth: outer + fenced + colons }
      deepest = Math.max(deepest, outer + fenced + colons)
      continue
    }
    if (directiveOpen.test(line)) colons++
    else if (directiveClose.test(line)) colons = Math.max(colons - 1, 0)
    const directives = fenced + colons
    const depth = containerDepth(line, maxNestingDepth - outer - directives)
    const levels = outer + depth.levels + directives
    if (levels > maxNestingDepth) return { messages: [deep(index, depth.column, levels)], depth: levels }
    deepest = Math.max(deepest, levels)
    // Raw HTML: count elements left open, leaving out code spans and elements HTML closes by itself.
    for (const tag of line.replace(/`[^`]*`/g, '').matchAll(htmlTag)) {
      const name = tag[2]!.toLowerCase()
      if (selfClosing.has(name) || tag[3] === '/') continue
      html += tag[1] === '/' ? -1 : 1
      if (html < 0) html = 0
      if (html > maxHtmlDepth) {
        return {
          messages: [
            createMessage(
              'nesting-depth-within-limit',
              file,
              { line: firstLine + index, column: tag.index + 1 },
              `Raw HTML here has more than ${maxHtmlDepth} elements open at once; fieldnotes reads at most ${maxHtmlDepth}`,
              'Close the elements you open, and flatten the HTML.',
            ),
          ],
          depth: deepest,
        }
      }
    }
  }
  return { messages: [], depth: deepest }
}

const directiveOpen = /^\s*:{3,}\s*[A-Za-z{]/
const directiveClose = /^\s*:{3,}\s*$/
const htmlTag = /<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(\/?)>/g
// Void elements, and elements whose end tag HTML lets an author leave out.
const selfClosing = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd tr td th thead tbody tfoot option optgroup rp rt colgroup caption'.split(' '),
)

/** How many list and quote levels the start of a line opens, and the column where the count passed `room`. */
function containerDepth(line: string, room: number): { levels: number; column: number } {
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
    let marker = 0
    if (line[position] === '>') marker = 1
    else {
      listMarker.lastIndex = position
      marker = listMarker.exec(line)?.[0].length ?? 0
    }
    if (marker === 0) break
    levels++
    position += marker
    width += marker
    if (levels > room && column === 1) column = position
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

/**
 * A table row shorter than the header is filled out with empty cells, so a
 * header of thousands of columns over thousands of one-character rows would
 * make millions of cells from a few kilobytes. Rows past the point where the
 * cells shown outnumber four times the cells written, and a thousand more,
 * are left out, with an error at the table.
 */
export function limitTables(tree: Root, file: string): Message[] {
  const messages: Message[] = []
  visit(tree, 'table', (table: Table) => {
    const columns = Math.max(table.align?.length ?? 0, ...table.children.slice(0, 1).map((row) => row.children.length))
    let written = 0
    let kept = 0
    for (const row of table.children) {
      written += row.children.length
      if ((kept + 1) * columns > 4 * written + 1000) break
      kept++
    }
    if (kept === table.children.length) return
    messages.push(
      createMessage(
        'content-size-within-limit',
        file,
        table,
        `This table is ${columns.toLocaleString('en')} columns wide, and its rows fill only a few of them: shown whole it would have ${(columns * table.children.length).toLocaleString('en')} cells, most of them empty, so only its first ${kept.toLocaleString('en')} rows are shown`,
        'Give the header row only the columns the rows use, or write out the empty cells: a table may show at most four cells for each one written.',
      ),
    )
    table.children = table.children.slice(0, Math.max(kept, 1))
  })
  return messages
}
