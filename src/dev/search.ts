// The search index of the preview, made in memory with the same Pagefind
// indexing as the build (write/search.ts) and served from memory. Pagefind can
// add pages to an index but not take them out or replace them, so each site
// that built is indexed whole, after its pages are served: a page reloads as
// soon as it is rebuilt, and search catches up a moment later. Builds that
// come faster than indexing are indexed once, as the latest of them.

import { indexSearch, type SearchInput } from '../write/search.js'
import type { Message } from '../messages.js'

export interface IndexedSearch {
  /** Problems with the index: Pagefind could not run, or the privacy guard found a name in it. */
  messages: Message[]
  /** How many files the index has, 0 when it could not be made. */
  files: number
  /** How long indexing took, in milliseconds. */
  ms: number
}

export interface SearchSource extends SearchInput {
  /** The privacy guard on the index files, as the build runs it: its problems withhold the index. */
  scan(files: ReadonlyMap<string, Uint8Array>): Message[]
}

export class PreviewSearch {
  /** Pagefind's files by output path (`pagefind/pagefind.js`). */
  private files = new Map<string, Uint8Array>()
  // The index just replaced: a search that began on it still finds its fragments, whose names are their hashes.
  private previous = new Map<string, Uint8Array>()
  private wanted: SearchSource | undefined
  private running: Promise<void> = Promise.resolve()
  private busy = false

  constructor(private readonly onIndexed: (result: IndexedSearch) => void = () => {}) {}

  /** Index `source` once the indexing under way, if any, is done; a newer source given meanwhile replaces it. */
  update(source: SearchSource): void {
    this.wanted = source
    if (this.busy) return
    this.busy = true
    // A failing onIndexed must not stop the preview from indexing the next site.
    this.running = this.drain().catch(() => undefined)
  }

  /** A file of the index being served, or undefined. */
  get(file: string): Uint8Array | undefined {
    return this.files.get(file) ?? this.previous.get(file)
  }

  /** Resolves once every site given so far is indexed (or failed to be). */
  settled(): Promise<void> {
    return this.running
  }

  private async drain(): Promise<void> {
    try {
      while (this.wanted) {
        const source = this.wanted
        this.wanted = undefined
        const start = performance.now()
        const made = await indexSearch(source)
        const messages = [...made.messages, ...source.scan(made.files)]
        // An index with a problem is not served, not even the last one: it would be out of date, or name someone.
        this.previous = messages.length === 0 ? this.files : new Map()
        this.files = messages.length === 0 ? made.files : new Map()
        this.onIndexed({ messages, files: messages.length === 0 ? made.files.size : 0, ms: performance.now() - start })
      }
    } finally {
      this.busy = false
    }
  }
}
