// The report's own stylesheet: `custom.css` at the top of the content folder,
// or the file `style:` in report.yml names. Content `.css` is otherwise never
// published (reserved.ts); this one file is, at a path the generator owns,
// `assets/custom.css`, loaded after the site's own stylesheets on every page.
// The files its `url()`s name are published like images, and each `url()` is
// rewritten to where its file is published. Pure: the loader read the text.

import type { ReportConfig } from '../config/report.js'
import { boundedSearch, valuePlaces } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import type { PublishProblem } from '../reserved.js'
import { hintFor, suggestionsFrom } from '../suggest.js'
import { decode } from '../markdown/paths.js'

/** Where the custom stylesheet is published. */
export const customStylesheetPath = 'assets/custom.css'

/** The stylesheet used without `style:` in report.yml, when the content folder has it. */
export const defaultCustomStylesheet = 'custom.css'

export interface CustomStylesheet {
  /** The stylesheet as published, or undefined when the report has none. */
  css: string | undefined
  /** Content paths of the files its `url()`s use, to publish where they sit. */
  used: string[]
  messages: Message[]
}

export function customStylesheet(
  report: ReportConfig,
  config: SourceFile | undefined,
  resources: readonly SourceFile[],
  files: ReadonlySet<string>,
  refused: ReadonlyMap<string, PublishProblem> = new Map(),
): CustomStylesheet {
  const none: CustomStylesheet = { css: undefined, used: [], messages: [] }
  const named = report.style?.replace(/^\.?\//, '')
  const sheets = new Map(resources.filter((file) => /\.css$/i.test(file.path)).map((file) => [file.path, file]))
  if (named === undefined) {
    const found = sheets.get(defaultCustomStylesheet)
    return found ? rewriteUrls(found, files, refused) : none
  }
  const display = config?.display ?? 'report.yml'
  const at = (): Place => (config ? (valuePlaces(config.text).get(report.style!) ?? boundedSearch(config.text)(report.style!)) : { line: 1, column: 1 })
  if (!/\.css$/i.test(named)) {
    return {
      ...none,
      messages: [createMessage('value-type-valid', display, at(), `\`style\` names \`${report.style}\`, which is not a stylesheet`, 'Name a `.css` file in the content folder, such as `custom.css`.')],
    }
  }
  const sheet = sheets.get(named)
  if (sheet === undefined) {
    const reason = files.has(named) ? `\`style\` names \`${report.style}\`, which could not be read as text` : `\`style\` names \`${report.style}\`, which is not in the content folder`
    return { ...none, messages: [createMessage('link-target-exists', display, at(), reason, hintFor(named, suggestionsFrom([...sheets.keys()]), 'Paths are relative to the content folder.'))] }
  }
  return rewriteUrls(sheet, files, refused)
}

/** `url(...)` in any of its three spellings; comments are blanked out before this runs. */
const urlPattern = /url\(\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'()]*))\s*\)/gi

function rewriteUrls(sheet: SourceFile, files: ReadonlySet<string>, refused: ReadonlyMap<string, PublishProblem>): CustomStylesheet {
  const messages: Message[] = []
  const used = new Set<string>()
  const folder = sheet.path.includes('/') ? sheet.path.slice(0, sheet.path.lastIndexOf('/') + 1) : ''
  // Comments are kept as they are, but a url() in one is not a url(): blank them, keeping every offset.
  const scanned = sheet.text.replace(/\/\*[\s\S]*?(\*\/|$)/g, (comment) => comment.replace(/[^\n]/g, ' '))
  const edits: { start: number; end: number; text: string }[] = []
  const placeIn = placer(sheet.text)
  for (const match of scanned.matchAll(urlPattern)) {
    const written = (match[1] ?? match[2] ?? match[3] ?? '').trim()
    const place = placeIn(match.index)
    if (written === '' || written.startsWith('#') || /^data:/i.test(written)) continue
    if (/^[a-z][a-z0-9+.-]*:/i.test(written) || written.startsWith('//')) {
      messages.push(
        createMessage(
          'style-url-local',
          sheet.display,
          place,
          `The stylesheet loads \`${written}\` from outside the site; the site's Content-Security-Policy lets pages load only the site's own files, so browsers will not load it`,
          'Put the file (an image or a font) in the content folder and name it by its path, such as `url("images/paper.png")`.',
        ),
      )
      continue
    }
    const target = resolveInside(written.startsWith('/') ? '' : folder, written.replace(/[?#].*$/, ''))
    if (target === undefined || !files.has(target)) {
      messages.push(
        createMessage(
          'link-target-exists',
          sheet.display,
          place,
          `The stylesheet uses \`${written}\`, which is not in the content folder`,
          hintFor(target ?? written, suggestionsFrom([...files]), 'Paths in url() are relative to the stylesheet, as in a browser.'),
        ),
      )
      continue
    }
    const problem = refused.get(target)
    if (problem) {
      messages.push(createMessage('file-publishable', sheet.display, place, `The stylesheet uses \`${written}\`, which cannot be published: ${problem.reason}`, problem.hint))
      continue
    }
    used.add(target)
    const published = '../' + target.split('/').map(encodeURIComponent).join('/') + written.slice(written.replace(/[?#].*$/, '').length)
    edits.push({ start: match.index, end: match.index + match[0].length, text: `url("${published}")` })
  }
  let css = sheet.text
  for (const edit of edits.reverse()) css = css.slice(0, edit.start) + edit.text + css.slice(edit.end)
  return { css, used: [...used], messages }
}

/** A relative path from a folder of the content, or undefined when it leaves the content folder. */
function resolveInside(folder: string, relative: string): string | undefined {
  const parts: string[] = []
  for (const part of (folder + decode(relative)).split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

/** The place of an offset in `text`, found by binary search over its line starts: a stylesheet with many url()s stays linear. */
function placer(text: string): (index: number) => Place {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (index) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= index) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: index - starts[low]! + 1 }
  }
}
