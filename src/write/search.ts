// The search index, made with Pagefind's Node API from the pages in memory,
// so it is written with the rest of the site and matches it exactly. Chapters
// and the participants page are indexed as pages; every finding and
// recommendation is also a result of its own, under its number and title.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { close, createIndex } from 'pagefind'
import { createMessage, type Message } from '../messages.js'
import type { ItemExcerpt } from '../render/previews.js'
import { outputPath } from '../render/urls.js'

export interface SearchInput {
  /** The site's pages, by output path (`themes/learners/index.html`). */
  files: ReadonlyMap<string, string | Uint8Array>
  items: readonly ItemExcerpt[]
  /** The report's language tag; the index is made for this one language. Default: `en`. */
  language?: string
  /** Generated pages that hold a chapter's text: indexed for that text, without their generated part. Default: none. */
  authored?: ReadonlySet<string>
}

export interface SearchOutput {
  /** Pagefind's files, by output path under `pagefind/`. */
  files: Map<string, Uint8Array>
  messages: Message[]
}

/** Pages that only repeat what the chapters say, or are not content, unless a chapter's text is on them (`authored`). */
const skipped = new Set(
  ['findings', 'recommendations', 'evidence', 'full-report', 'search'].map((slug) => `${slug}/index.html`).concat('404.html'),
)

/** Pagefind's ready-made interfaces: the site has its own search page. */
const unusedBundle = /^pagefind-(ui|modular-ui|component-ui|highlight)\b/

/** The configuration files Pagefind's binary looks for in its working folder. */
const pagefindConfigs = ['pagefind.json', 'pagefind.yml', 'pagefind.yaml', 'pagefind.toml']

// Pagefind runs one service per process; builds take turns using it.
let queue: Promise<unknown> = Promise.resolve()

export function indexSearch(input: SearchInput): Promise<SearchOutput> {
  const run = queue.then(() => makeIndex(input))
  queue = run.catch(() => undefined)
  return run
}

async function makeIndex(input: SearchInput): Promise<SearchOutput> {
  const language = (input.language ?? 'en').split('-')[0]!.toLowerCase()
  const messages: Message[] = []
  const fail = (reason: string) =>
    messages.push(
      createMessage(
        'search-index-builds',
        'pagefind',
        undefined,
        `The search index could not be built: ${reason}`,
        'Run `npm ci` so that Pagefind and its binary for this platform are installed.',
      ),
    )
  // Pagefind's binary reads a configuration file from the working folder before it starts, and
  // acts on some of it even as a service (`logfile` creates a file anywhere). When the build runs
  // in the content folder, that file could come from a pull request: so none may be there.
  const config = pagefindConfigs.find((name) => existsSync(path.join(process.cwd(), name)))
  if (config !== undefined) {
    messages.push(
      createMessage(
        'search-index-builds',
        config,
        undefined,
        `Pagefind would read ${config} in the folder the build runs in, and fieldnotes configures Pagefind itself`,
        'Delete the file, or run the build from another folder: the search index takes no settings of its own.',
      ),
    )
    return { files: new Map(), messages }
  }
  try {
    const created = await createIndex({
      rootSelector: 'main',
      // Findings and recommendations are results of their own; page furniture is not content.
      // A generated page's own part (its tables, the full report's sections) repeats the chapters.
      excludeSelectors: ['section.finding', 'section.recommendation', 'nav', '.pager', '.outline', '.skip-link', '.generated-part'],
      forceLanguage: language,
    })
    const index = created.index
    if (!index) {
      fail(created.errors.join('; ') || 'Pagefind did not start')
      return { files: new Map(), messages }
    }
    const errors: string[] = [...created.errors]
    const decoder = new TextDecoder()
    for (const [path, content] of input.files) {
      if (!path.endsWith('.html') || (skipped.has(path) && !input.authored?.has(path))) continue
      const url = `/${path.replace(/index\.html$/, '')}`
      const html = typeof content === 'string' ? content : decoder.decode(content)
      errors.push(...(await index.addHTMLFile({ url, content: html })).errors)
    }
    for (const item of input.items) {
      const added = await index.addCustomRecord({
        url: `/${item.url}`,
        content: `${item.label}: ${item.title}. ${item.text}`,
        language,
        meta: { title: `${item.label}: ${item.title}`, kind: item.kind === 'finding' ? 'Finding' : 'Recommendation', chapter: item.chapter },
        filters: { type: [item.kind === 'finding' ? 'Finding' : 'Recommendation'] },
      })
      errors.push(...added.errors)
    }
    const written = await index.getFiles()
    errors.push(...written.errors)
    if (errors.length > 0) fail(errors.join('; '))
    const files = new Map<string, Uint8Array>()
    for (const file of written.files) {
      if (!unusedBundle.test(file.path)) files.set(`pagefind/${file.path}`, file.content)
    }
    await index.deleteIndex()
    return { files, messages }
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error))
    return { files: new Map(), messages }
  } finally {
    await close().catch(() => undefined)
  }
}
