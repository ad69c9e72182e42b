// The search index of the preview, made in memory with the same Pagefind
// indexing as the build (write/search.ts) and served from memory. Pagefind can
// add pages to an index but not take them out or replace them, so the index is
// in shards, and each site that built is indexed as its shards: those whose
// hash the preview holds already are kept, and only the others (after an edit,
// the shard of the chapter edited) are made, after the pages are served. A page
// reloads as soon as it is rebuilt, and search catches up a moment later.
// Builds that come faster than indexing are indexed once, as the latest of them.

import { indexSearch, type SearchInput } from '../write/search.js'
import type { Message } from '../messages.js'

export interface IndexedSearch {
  /** Problems with the index: Pagefind could not run, or the privacy guard found a name in it. */
  messages: Message[]
  /** How many files the index has, 0 when it could not be made. */
  files: number
  /** The hashes of the shards Pagefind made for this site; the others were kept from the last. */
  indexed: string[]
  /** How long indexing took, in milliseconds. */
  ms: number
}

export interface SearchSource extends SearchInput {
  /** The privacy guard on the index files, as the build runs it: its problems withhold the index. */
  scan(files: ReadonlyMap<string, Uint8Array>): Message[]
}

export class PreviewSearch {
  /** The index's files by output path (`pagefind/shards.json`, `pagefind/<hash>/pagefind.js`). */
  private files = new Map<string, Uint8Array>()
  // The index just replaced: a search that began on it still finds its shards and fragments, whose names are their hashes.
  private previous = new Map<string, Uint8Array>()
  /** The shards of the index being served, by hash: a site that has them again is not indexed for them. */
  private shards = new Map<string, Map<string, Uint8Array>>()
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
        const made = await indexSearch({ ...source, made: this.shards, background: true })
        // Every shard is scanned, kept ones too: the roster may have changed since they were made.
        const messages = [...made.messages, ...source.scan(made.files)]
        const served = messages.length === 0
        // An index with a problem is not served, not even the last one: it would be out of date, or name someone.
        this.previous = served ? this.files : new Map()
        this.files = served ? made.files : new Map()
        // Shards this site does not have are dropped; a shard is only what Pagefind made of its pages, so an index
        // withheld for a name in it keeps its shards, to be scanned again with the next site.
        if (made.messages.length === 0) this.shards = new Map(made.shards.map((shard) => [shard.hash, shard.files]))
        this.onIndexed({ messages, files: served ? made.files.size : 0, indexed: made.shards.filter((shard) => shard.indexed).map((shard) => shard.hash), ms: performance.now() - start })
      }
    } finally {
      this.busy = false
    }
  }
}
