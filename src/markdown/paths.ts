// Paths a chapter refers to (images, links, and `src`/`href` in raw HTML)
// must stay inside the content folder: no `../` that climbs out of it, no
// absolute paths, and no symbolic link that leads elsewhere. Web addresses
// (`https:`, `mailto:`, `//host`) and in-page anchors are not paths and are
// left alone. Pure: one tree in, messages out.

import type { Html, Root } from 'mdast'
import { visit } from './visit.js'
import { createMessage, type Message, type Place } from '../messages.js'

export interface PathContext {
  /** The chapter's path inside the content folder (`themes/learners.md`). */
  path: string
  /** Its path in messages (`content/themes/learners.md`). */
  file: string
  /** Paths inside the content folder of symbolic links that lead outside it. Default: none. */
  outsideLinks?: ReadonlySet<string>
  /** Read `/path` from the content folder, as MyST does, rather than refuse it. Default: false. */
  rootRelative?: boolean
}

export function checkPaths(tree: Root, context: PathContext): Message[] {
  const messages: Message[] = []
  const check = (url: string, at: Place, what: string) => {
    const problem = pathProblem(url, context)
    if (!problem) return
    messages.push(
      createMessage(
        'path-inside-project',
        context.file,
        at,
        `The ${what} \`${shorten(url)}\` ${problem}`,
        'Put the file inside the content folder (next to the chapter is simplest) and write its path relative to this file, such as `images/map.png`.',
      ),
    )
  }
  visit(tree, (node) => {
    if (node.type === 'image') check(node.url, placeOf(node), 'image')
    else if (node.type === 'link' || node.type === 'definition') check(node.url, placeOf(node), 'link')
    else if (node.type === 'html') {
      for (const attribute of htmlUrls(node)) check(attribute.url, attribute.place, attribute.name === 'src' ? 'image' : 'link')
    }
  })
  return messages
}

/** Why a reference leaves the content folder, or undefined when it does not (or is not a path at all). */
export function pathProblem(url: string, context: PathContext): string | undefined {
  const trimmed = url.trim()
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) return undefined
  if (/^file:/i.test(trimmed)) return 'is a file on this machine, which readers of the site cannot open'
  if (/^[a-z]:[\\/]/i.test(trimmed) || trimmed.startsWith('\\\\')) return 'is an absolute path on this machine'
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return undefined
  const pathPart = decode(trimmed.replace(/[?#].*$/, '')).replace(/\\/g, '/')
  const fromRoot = pathPart.startsWith('/')
  if (fromRoot && !context.rootRelative) return 'is an absolute path; it would only work with the site at the root of its server'
  const parts = fromRoot ? [] : context.path.split('/').slice(0, -1)
  for (const part of pathPart.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return 'climbs out of the content folder with `../`'
      parts.pop()
    } else if (part !== '.' && part !== '') {
      parts.push(part)
      if (context.outsideLinks?.has(parts.join('/'))) return `goes through the symbolic link \`${parts.join('/')}\`, which leads outside the content folder`
    }
  }
  return undefined
}

/** `src` and `href` values written in a piece of raw HTML, at their places. */
function htmlUrls(node: Html): { name: string; url: string; place: Place }[] {
  const start = node.position?.start
  if (!start) return []
  const found: { name: string; url: string; place: Place }[] = []
  // Lines are counted as the matches go, not again from the top for each: a block of raw HTML can be long.
  const value = node.value
  let lines = 0
  let lineStart = 0
  let counted = 0
  for (const match of value.matchAll(/\s(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    const end = match.index + 1
    for (let i = counted; i < end; i++) {
      const c = value.charCodeAt(i)
      if (c === 10 || (c === 13 && value.charCodeAt(i + 1) !== 10)) {
        lines++
        lineStart = i + 1
      }
    }
    counted = end
    const line = start.line + lines
    const column = lines === 0 ? start.column + end : end - lineStart + 1
    found.push({ name: match[1]!.toLowerCase(), url: decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''), place: { line, column } })
  }
  return found
}

/** A percent-encoded path or anchor as written, or the text itself when it is not valid percent-encoding. */
export function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&period;/gi, '.')
    .replace(/&sol;/gi, '/')
    .replace(/&amp;/gi, '&')
}

function placeOf(node: { position?: { start: Place } | undefined }): Place {
  return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 }
}

function shorten(url: string): string {
  return url.length > 60 ? `${url.slice(0, 57)}...` : url
}
