// The search index in shards: which pages and records are indexed together,
// and the name of each shard, a hash of everything its index is made from. A
// shard's index depends on nothing else, so a shard whose name the site being
// replaced already has is that site's shard, and need not be indexed again.
// Pure: write/search.ts runs Pagefind on the shards this plans.

import { createHash } from 'node:crypto'

/** A page as Pagefind is given it. Its content may be made from bytes each time it is read (write/search.ts). */
export interface ShardPage {
  url: string
  readonly content: string
}

/** A custom record (a finding or recommendation) as Pagefind is given it. */
export interface ShardRecord {
  url: string
  content: string
  language: string
  meta: Record<string, string>
  filters: Record<string, string[]>
}

export interface Shard {
  /** A short hash of what the shard's index is made from; its folder is `pagefind/<hash>/`. */
  hash: string
  pages: ShardPage[]
  records: ShardRecord[]
}

export interface ShardInput {
  /** The pages to index, by output path, in the order the site has them. */
  pages: ReadonlyMap<string, ShardPage>
  /** Output paths of the chapter pages in reading order: they are cut into shards of about `size` pages. */
  chapters: readonly string[]
  /** Each record, with the output path of the page it is on: it joins that page's shard. */
  records: readonly { page: string; record: ShardRecord }[]
  /** About how many chapter pages a shard holds; a site with no more pages than this has one shard. */
  size: number
  /** Everything else the index depends on (Pagefind's version, the settings it is run with), as text. */
  basis: string
}

/**
 * The shards, in reading order. A site with no more pages than `size` has one. Otherwise the chapters
 * are cut into runs: a run ends after a chapter whose path hashes to a boundary, once it has half
 * `size` pages, or at twice `size`; so a chapter added or removed moves the ends of its own run only,
 * not of every run after it. Each record goes with the page it is on.
 */
export function planShards(input: ShardInput): Shard[] {
  const chapters = [...new Set(input.chapters)].filter((page) => input.pages.has(page))
  const chapterSet = new Set(chapters)
  const others = [...input.pages.keys()].filter((page) => !chapterSet.has(page))
  const groups = input.pages.size <= input.size ? [chapters] : cutChapters(chapters, input.size)
  if (groups.length === 0) groups.push([])
  // The other pages (the landing and participants pages, and chapters at generated pages' addresses) join the first
  // shard rather than make one of their own: Pagefind ranks each index by its own statistics, and in an index
  // of a few pages their results would rank far above the chapters' (docs/site.md, "Search shards").
  groups[0] = [...others, ...groups[0]!]
  const shardOf = new Map(groups.flatMap((group, at) => group.map((page) => [page, at] as const)))
  const records = groups.map((): ShardRecord[] => [])
  for (const { page, record } of input.records) {
    // A record on a page that is not indexed goes with the other pages: it is still a result.
    records[shardOf.get(page) ?? 0]!.push(record)
  }
  const shards = groups.map((group, at) => {
    const pages = group.map((page) => input.pages.get(page)!)
    return { hash: shardHash(input.basis, pages, records[at]!), pages, records: records[at]! }
  })
  return shards
}

function cutChapters(chapters: readonly string[], size: number): string[][] {
  const least = Math.max(1, Math.ceil(size / 2))
  const most = Math.max(1, size * 2)
  // One chapter in `odds` ends a shard once it has `least`: shards average `size` pages.
  const odds = Math.max(1, size - least + 1)
  const groups: string[][] = []
  let group: string[] = []
  for (const page of chapters) {
    group.push(page)
    if (group.length >= most || (group.length >= least && createHash('sha256').update(page).digest().readUInt32BE(0) % odds === 0)) {
      groups.push(group)
      group = []
    }
  }
  if (group.length > 0) groups.push(group)
  return groups
}

function shardHash(basis: string, pages: readonly ShardPage[], records: readonly ShardRecord[]): string {
  const hash = createHash('sha256').update(`${JSON.stringify(basis)}\n`)
  // A page is its address and text, each after its length, so that no two pages hash alike; text as it is,
  // which costs a fifth of writing it as JSON first. A record is one JSON value on a line.
  for (const page of pages) {
    const content = page.content
    hash.update(`page ${page.url.length} ${content.length}\n`).update(page.url).update(content)
  }
  for (const record of records) hash.update(`${JSON.stringify(['record', record])}\n`)
  return hash.digest('hex').slice(0, 12)
}
