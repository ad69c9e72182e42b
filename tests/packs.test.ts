// The build cache's packs (src/cache/packs.ts): entries appended to a draft,
// readable once it is sealed as a pack, never from a pack that is not whole;
// the later of two entries under one key wins; and what a build did not use is
// forgotten, with mostly unused packs and too many small ones merged.

import { readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { allEntries, forgetEntries, readEntry, settleEntries, writeEntry } from '../src/cache/packs.js'
import { tempDir } from './helpers.js'

const files = (folder: string) => readdirSync(folder).sort()
const packs = (folder: string) => files(folder).filter((name) => name.endsWith('.pack'))

/** Entries written as one round of a thread writes them, then sealed. */
function round(folder: string, entries: Record<string, string>): void {
  for (const [key, json] of Object.entries(entries)) expect(writeEntry(folder, key, json)).toBe(true)
  settleEntries()
}

/** `count` entries of about `size` bytes each, under keys `${prefix}0`... */
function many(prefix: string, count: number, size = 100): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, n) => [`${prefix}${n}`, JSON.stringify({ n, text: 'x'.repeat(size) })]))
}

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
    for (let n = 0; n < 12; n++) {
      const entries = many(`r${n}-`, 2, (n + 1) * 50)
      Object.assign(all, entries)
      round(folder, entries)
    }
    const before = packs(folder)
    forgetEntries(folder, new Set(Object.keys(all)))
    const after = packs(folder)
    expect(after).toHaveLength(8)
    // The five smallest (the first five rounds') became one; the seven largest are untouched.
    expect(after.filter((name) => before.includes(name))).toEqual(before.slice(5))
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
