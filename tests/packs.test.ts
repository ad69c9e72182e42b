// The build cache's packs (src/cache/packs.ts): entries appended to a draft,
// readable once it is sealed as a pack, never from a pack that is not whole;
// the later of two entries under one key wins; and what a build did not use is
// forgotten, with mostly unused packs and too many small ones merged.

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { allEntries, forgetEntries, hasEntry, readEntry, settleEntries, writeEntry } from '../src/cache/packs.js'
import { tempDir } from './helpers.js'

const files = (folder: string) => readdirSync(folder).sort()
/** Files this process has open (Linux). */
const openFiles = () => readdirSync('/proc/self/fd').length
const packs = (folder: string) => files(folder).filter((name) => name.endsWith('.pack'))

/** Entries written as one round of a thread writes them, then sealed. */
function round(folder: string, entries: Record<string, string>): void {
  for (const [key, json] of Object.entries(entries)) expect(writeEntry(folder, key, json)).toBe(true)
  settleEntries()
}

/** The keys `many` gives rounds 1 to `rounds` (prefixes `r1-`...). */
function all(rounds: number): Record<string, string> {
  return Object.assign({}, ...Array.from({ length: rounds }, (_, n) => many(`r${n + 1}-`, 2)))
}

/** `count` entries of about `size` bytes each, under keys `${prefix}0`... */
function many(prefix: string, count: number, size = 100): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, n) => [`${prefix}${n}`, JSON.stringify({ n, text: 'x'.repeat(size) })]))
}

/** The first line every pack has. */
const firstLine = 'fieldnotes cache pack 1\n'

/** A pack made by hand: the entries, then the index (or what `index` makes of it), then the footer (or `footer`). */
function craft(entries: [string, string][], options: { header?: string; index?: (index: unknown[]) => unknown; footer?: (start: number) => string } = {}): Buffer {
  const head = options.header ?? firstLine
  const parts: Buffer[] = [Buffer.from(head)]
  const index: unknown[] = []
  let size = parts[0]!.length
  for (const [key, text] of entries) {
    const bytes = Buffer.from(text)
    index.push([key, size, bytes.length])
    parts.push(bytes)
    size += bytes.length
  }
  parts.push(Buffer.from(JSON.stringify(options.index ? options.index(index) : index)))
  parts.push(Buffer.from(options.footer ? options.footer(size) : `${String(size).padStart(15, '0')}\n`))
  return Buffer.concat(parts)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('packs', () => {
  it('keep the entries of a round in one file, readable once the round ends, and not before', async () => {
    const folder = path.join(await tempDir(), 'parses')
    const entries = many('k', 50)
    for (const [key, json] of Object.entries(entries)) writeEntry(folder, key, json)
    expect(readEntry(folder, 'k0')).toBeUndefined()
    expect(packs(folder)).toEqual([])
    expect(files(folder)).toHaveLength(1)
    settleEntries()
    expect(files(folder)).toEqual(packs(folder))
    expect(packs(folder)).toHaveLength(1)
    for (const [key, json] of Object.entries(entries)) expect(readEntry(folder, key)).toBe(json)
    expect(readEntry(folder, 'k50')).toBeUndefined()
    expect(Object.fromEntries(allEntries(folder))).toEqual(entries)
  })

  it('give the entry of the later pack where two hold the same key', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, { 'p-a': '"first"', 'p-b': '"kept"' })
    round(folder, { 'p-a': '"second"' })
    expect(readEntry(folder, 'p-a')).toBe('"second"')
    expect(readEntry(folder, 'p-b')).toBe('"kept"')
    settleEntries()
    round(folder, { 'p-a': '"third"' })
    expect(readEntry(folder, 'p-a')).toBe('"third"')
  })

  it('read text of any script as it was written', async () => {
    const folder = path.join(await tempDir(), 'pages')
    const text = JSON.stringify({ quote: 'Überall — 参加者 said “yes” 🙂', nested: { empty: '' } })
    round(folder, { q: text, empty: '' })
    expect(readEntry(folder, 'q')).toBe(text)
    expect(readEntry(folder, 'empty')).toBe('')
  })

  it('read nothing from a draft a killed build left, nor from a pack cut short or not a pack', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, many('a', 5))
    // A killed build's draft: the entry, and no index.
    writeFileSync(path.join(folder, '0-left.draft'), 'fieldnotes cache pack 1\n"never sealed"')
    const [whole] = packs(folder)
    const bytes = readFileSync(path.join(folder, whole!))
    for (const [name, content] of [
      ['zz-short.pack', bytes.subarray(0, bytes.length - 3)],
      ['zz-other.pack', Buffer.concat([Buffer.from('not a pack\n'), bytes.subarray(bytes.indexOf(10) + 1)])],
      ['zz-footer.pack', Buffer.concat([bytes.subarray(0, bytes.length - 16), Buffer.from('999999999999999\n')])],
      ['zz-empty.pack', Buffer.alloc(0)],
    ] as const) {
      writeFileSync(path.join(folder, name), content)
    }
    settleEntries()
    expect(Object.fromEntries(allEntries(folder))).toEqual(many('a', 5))
    // An index that points past its pack's entries is not read either.
    const index = bytes.lastIndexOf('[["a0"')
    const outside = Buffer.from(bytes.subarray(index, bytes.length - 16).toString('utf8').replace(/,(\d+)\]\]$/, (_, n: string) => `,${Number(n) + 1000}]]`))
    writeFileSync(path.join(folder, 'zz-outside.pack'), Buffer.concat([bytes.subarray(0, index), outside, Buffer.from(`${String(index).padStart(15, '0')}\n`)]))
    settleEntries()
    expect(Object.fromEntries(allEntries(folder))).toEqual(many('a', 5))
  })

  it('give the later entry of two made in the same millisecond', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const folder = path.join(await tempDir(), 'pages')
    for (let n = 0; n < 12; n++) round(folder, { k: `"${n}"` })
    expect(readEntry(folder, 'k')).toBe('"11"')
  })

  it('say which keys they hold, as a round sees them', async () => {
    const folder = path.join(await tempDir(), 'parses')
    round(folder, { a: '"1"' })
    expect(hasEntry(folder, 'a')).toBe(true)
    expect(hasEntry(folder, 'b')).toBe(false)
    writeEntry(folder, 'b', '"2"')
    expect(hasEntry(folder, 'b')).toBe(false)
    settleEntries()
    expect(hasEntry(folder, 'b')).toBe(true)
  })

  it('leave no file open once a round ends, however many entries were read and merged', async () => {
    const folder = path.join(await tempDir(), 'pages')
    for (let n = 0; n < 12; n++) round(folder, many(`r${n}-`, 5))
    const before = openFiles()
    for (let n = 0; n < 12; n++) for (let k = 0; k < 5; k++) expect(readEntry(folder, `r${n}-${k}`)).toBeDefined()
    settleEntries()
    expect(allEntries(folder).size).toBe(60)
    // Two of the first pack's five entries kept: it is merged, read through files opened for that.
    forgetEntries(folder, new Set(['r0-0', 'r0-1']))
    expect(Object.keys(Object.fromEntries(allEntries(folder))).sort()).toEqual(['r0-0', 'r0-1'])
    forgetEntries(folder, new Set())
    expect(openFiles()).toBe(before)
  })

  it('give nothing for an entry whose pack was cut short after the round first looked', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, many('a', 3, 2000))
    expect(readEntry(folder, 'a0')).toBeDefined()
    truncateSync(path.join(folder, packs(folder)[0]!), 3000)
    expect(readEntry(folder, 'a2')).toBeUndefined()
    settleEntries()
  })

  it('seal nothing, and go on, when the folder is removed during the round', async () => {
    const folder = path.join(await tempDir(), 'pages')
    writeEntry(folder, 'k', '"v"')
    rmSync(folder, { recursive: true })
    expect(() => settleEntries()).not.toThrow()
    expect(readEntry(folder, 'k')).toBeUndefined()
    expect(writeEntry(folder, 'k', '"v"')).toBe(true)
    settleEntries()
    expect(readEntry(folder, 'k')).toBe('"v"')
  })

  it('say an entry was not kept when the folder cannot be made, and go on', async () => {
    const dir = await tempDir()
    writeFileSync(path.join(dir, 'file'), '')
    const folder = path.join(dir, 'file', 'pages')
    expect(writeEntry(folder, 'k', '"v"')).toBe(false)
    expect(() => settleEntries()).not.toThrow()
    expect(readEntry(folder, 'k')).toBeUndefined()
    expect(() => forgetEntries(folder, new Set(['k']))).not.toThrow()
  })

  it('lose a pack whose file is cut short after it was sealed, not the others', async () => {
    const folder = path.join(await tempDir(), 'parses')
    round(folder, many('a', 3))
    round(folder, many('b', 3))
    const [first] = packs(folder)
    truncateSync(path.join(folder, first!), 40)
    settleEntries()
    expect([...allEntries(folder).keys()].sort()).toEqual(['b0', 'b1', 'b2'])
  })
})

describe('a pack', () => {
  const entries: [string, string][] = [
    ['a', '"one"'],
    ['b', '"two"'],
  ]

  it('made by hand as the build makes them is read (the cases below differ from it in one thing)', async () => {
    const folder = path.join(await tempDir(), 'pages')
    mkdirSync(folder)
    writeFileSync(path.join(folder, 'x.pack'), craft(entries))
    expect(Object.fromEntries(allEntries(folder))).toEqual({ a: '"one"', b: '"two"' })
    // Beside it, a pack that cannot be opened.
    symlinkSync(path.join(folder, 'missing'), path.join(folder, 'y.pack'))
    expect(Object.fromEntries(allEntries(folder))).toEqual({ a: '"one"', b: '"two"' })
  })

  it.each([
    ['another first line', { header: 'fieldnotes cache pack 2\n' }],
    ['an entry that starts inside the first line', { index: (index: unknown[]) => [[...(index[0] as unknown[]).slice(0, 1), 0, 5], index[1]] }],
    ['an entry that runs into the index', { index: (index: unknown[]) => [index[0], [...(index[1] as unknown[]).slice(0, 2), 100]] }],
    ['an entry of negative length', { index: (index: unknown[]) => [index[0], [...(index[1] as unknown[]).slice(0, 2), -1]] }],
    ['an entry of a fractional length', { index: (index: unknown[]) => [index[0], [...(index[1] as unknown[]).slice(0, 2), 1.5]] }],
    ['an entry at a fractional offset', { index: (index: unknown[]) => [index[0], ['b', 1.5, 1]] }],
    ['a key that is not text', { index: (index: unknown[]) => [index[0], [7, ...(index[1] as unknown[]).slice(1)]] }],
    ['an entry with more than a key, offset and length', { index: (index: unknown[]) => [index[0], [...(index[1] as unknown[]), 'more']] }],
    ['an index that is not a list', { index: () => ({ a: [24, 5] }) }],
    ['an index offset with a fraction', { footer: (start: number) => `${String(start)}.5`.padStart(15, '0') + '\n' }],
    ['an index offset inside the first line', { footer: () => `${'0'.repeat(13)}10\n` }],
    ['an index offset past the index', { footer: () => `${'0'.repeat(12)}999\n` }],
  ] as const)('with %s is not read', async (_, options) => {
    const folder = path.join(await tempDir(), 'pages')
    mkdirSync(folder)
    writeFileSync(path.join(folder, 'x.pack'), craft(entries, options))
    expect(allEntries(folder).size).toBe(0)
    expect(readEntry(folder, 'a')).toBeUndefined()
    settleEntries()
  })
})

describe('forgetting', () => {
  it('removes packs holding nothing kept, and leaves packs mostly kept as they are', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, many('a', 10))
    round(folder, many('b', 10))
    const [a, b] = packs(folder)
    const before = statSync(path.join(folder, b!)).mtimeMs
    forgetEntries(folder, new Set(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']))
    expect(packs(folder)).toEqual([b])
    expect(packs(folder)).not.toContain(a)
    expect(statSync(path.join(folder, b!)).mtimeMs).toBe(before)
    expect(readEntry(folder, 'b9')).toBe(many('b', 10)['b9'])
  })

  it('leaves a pack exactly half used as it is, and eight packs all used', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, { a: '"aaaa"', b: '"bbbb"' })
    const [half] = packs(folder)
    forgetEntries(folder, new Set(['a']))
    expect(packs(folder)).toEqual([half])
    for (let n = 1; n < 8; n++) round(folder, many(`r${n}-`, 2))
    const eight = packs(folder)
    expect(eight).toHaveLength(8)
    forgetEntries(folder, new Set(['a', ...Object.keys(all(7))]))
    expect(packs(folder)).toEqual(eight)
  })

  it('merges a pack more unused than used into one holding only what is kept', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, many('a', 10))
    const [old] = packs(folder)
    const keep = new Set(['a1', 'a7', 'a8'])
    forgetEntries(folder, keep)
    expect(packs(folder)).toHaveLength(1)
    expect(packs(folder)).not.toContain(old)
    expect(Object.fromEntries(allEntries(folder))).toEqual(Object.fromEntries(Object.entries(many('a', 10)).filter(([key]) => keep.has(key))))
  })

  it('counts an entry a later pack replaced as unused in the earlier pack', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, many('a', 4))
    round(folder, { a0: '"new 0"', a1: '"new 1"', a2: '"new 2"' })
    forgetEntries(folder, new Set(['a0', 'a1', 'a2', 'a3']))
    // The first pack held one of four entries still read: merged with nothing else, it is rewritten with a3 alone.
    expect(packs(folder)).toHaveLength(2)
    expect(Object.fromEntries(allEntries(folder))).toEqual({ a0: '"new 0"', a1: '"new 1"', a2: '"new 2"', a3: many('a', 4)['a3'] })
    const sizes = packs(folder).map((name) => statSync(path.join(folder, name)).size)
    expect(Math.min(...sizes)).toBeLessThan(300)
  })

  it('merges the smallest packs when there are more than eight', async () => {
    const folder = path.join(await tempDir(), 'pages')
    const all: Record<string, string> = {}
    // Sizes in no order: the smallest are the rounds given 1 to 5.
    const sizes = [9, 3, 12, 1, 7, 5, 11, 2, 8, 4, 10, 6]
    const bySize = new Map<number, string>()
    for (const [n, size] of sizes.entries()) {
      const entries = many(`r${n}-`, 2, size * 50)
      Object.assign(all, entries)
      round(folder, entries)
      bySize.set(size, packs(folder).find((name) => !bySize.has(size) && ![...bySize.values()].includes(name))!)
    }
    forgetEntries(folder, new Set(Object.keys(all)))
    const after = packs(folder)
    expect(after).toHaveLength(8)
    // The five smallest became one; the seven largest are untouched.
    expect(after.filter((name) => [...bySize.values()].includes(name)).sort()).toEqual([6, 7, 8, 9, 10, 11, 12].map((size) => bySize.get(size)!).sort())
    expect(Object.fromEntries(allEntries(folder))).toEqual(all)
  })

  it('removes drafts untouched for an hour, and entries of the layout before packs, but not a draft written to within the hour', async () => {
    const folder = path.join(await tempDir(), 'pages')
    round(folder, { kept: '"yes"' })
    writeEntry(folder, 'being-written', '"soon"')
    const writing = files(folder).find((name) => name.endsWith('.draft'))!
    writeFileSync(path.join(folder, 'old-draft.draft'), 'half')
    const hourAgo = new Date(Date.now() - 61 * 60 * 1000)
    utimesSync(path.join(folder, 'old-draft.draft'), hourAgo, hourAgo)
    writeFileSync(path.join(folder, 'c-abc.json'), '{}')
    writeFileSync(path.join(folder, 'c-abc.123-0.tmp'), '{')
    // Forgetting seals this thread's own draft first.
    forgetEntries(folder, new Set(['kept', 'being-written']))
    expect(files(folder).filter((name) => !name.endsWith('.pack'))).toEqual([])
    expect(files(folder)).not.toContain(writing)
    expect(readEntry(folder, 'being-written')).toBe('"soon"')

    writeFileSync(path.join(folder, 'fresh.draft'), 'another build, still writing')
    const halfHourAgo = new Date(Date.now() - 30 * 60 * 1000)
    utimesSync(path.join(folder, 'fresh.draft'), halfHourAgo, halfHourAgo)
    forgetEntries(folder, new Set(['kept', 'being-written']))
    expect(files(folder)).toContain('fresh.draft')
  })
})
