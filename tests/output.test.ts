// The switch from one site to the next, watched before and after every call
// the writer makes that changes the file system: `dist` is at every one of
// those moments the complete previous site or the complete new one, never
// missing and never part of each. Deterministic, where
// output-integrity.test.ts kills real builds at moments it cannot choose.

import type * as Fs from 'node:fs'
import type * as FsPromises from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { linkedSite, OutputLockedError, tidyOutput, writeSite } from '../src/write/output.js'
import { tempDir, writeFiles } from './helpers.js'

// Hoisted with the mocks below: what the test does at each call (nothing until a test sets it), and the calls watched.
const watch = vi.hoisted(() => {
  const state = {
    check: undefined as ((call: string) => void) | undefined,
    // The calls that change the file system; a writer that used any other would escape this test.
    changing: ['rename', 'rm', 'rmdir', 'unlink', 'symlink', 'link', 'mkdir', 'cp', 'copyFile', 'writeFile', 'open'],
    /** The module with each of `names` checked before and after it runs. */
    wrap(module: object, names: string[], sync: boolean): Record<string, unknown> {
      const wrapped: Record<string, unknown> = { ...module }
      for (const name of names) {
        const original = (module as Record<string, (...args: unknown[]) => unknown>)[name]!
        wrapped[name] = sync
          ? (...args: unknown[]) => {
              state.check?.(`before ${name}`)
              try {
                return original(...args)
              } finally {
                state.check?.(`after ${name}`)
              }
            }
          : async (...args: unknown[]) => {
              state.check?.(`before ${name}`)
              try {
                return await original(...args)
              } finally {
                state.check?.(`after ${name}`)
              }
            }
      }
      return { ...wrapped, default: wrapped }
    },
  }
  return state
})

vi.mock('node:fs/promises', async (importOriginal) => watch.wrap(await importOriginal<typeof FsPromises>(), watch.changing, false))
vi.mock('node:fs', async (importOriginal) =>
  watch.wrap(
    await importOriginal<typeof Fs>(),
    watch.changing.map((name) => `${name}Sync`),
    true,
  ),
)

// The checks read with the real functions, so that reading is not itself watched.
const real = await vi.importActual<typeof Fs>('node:fs')

/** Every file under `dir` with its text, or undefined when `dir` is not there. */
function readSite(dir: string): Map<string, string> | undefined {
  if (!real.existsSync(dir)) return undefined
  const files = new Map<string, string>()
  for (const entry of real.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full).split(path.sep).join('/'), real.readFileSync(full, 'utf8'))
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Files that come later, part by part, ending with whether the site may be published. */
async function* parts(publish: boolean, ...given: Map<string, string>[]): AsyncGenerator<Map<string, string>, boolean> {
  for (const part of given) yield part
  return publish
}

const same = (a: Map<string, string> | undefined, b: Map<string, string>) => a !== undefined && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)

/** One version of a small site: pages of its own and one in common, a file that comes later (as the search index does) and a static file. */
function version(name: string): { files: Map<string, string>; later: Map<string, string>; expected: Map<string, string> } {
  const files = new Map([
    ['index.html', `${name} home`],
    [`${name.toLowerCase()}/index.html`, `${name} chapter`],
    ['shared/index.html', 'in both'],
  ])
  const later = new Map([['pagefind/pagefind.js', `${name} index`]])
  const expected = new Map([...files, ...later, ['assets/style.css', 'body {}']])
  return { files, later, expected: new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))) }
}

describe('switching the output folder to a new site', () => {
  it('shows the complete previous or the complete new site at every step, and the new one from the switch on', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const assets = path.join(dir, 'public')
    await writeFiles(assets, { 'assets/style.css': 'body {}' })
    const sites = { A: version('A'), B: version('B') }
    const write = (name: 'A' | 'B') => writeSite({ outDir: out, files: sites[name].files, later: parts(true, sites[name].later), assetDirs: [assets] })

    await write('A')
    expect(readSite(out)).toEqual(sites.A.expected)

    // To B and back: each switch replaces a linked site and keeps it as the spare, which the next begins from.
    for (const [from, to] of [['A', 'B'], ['B', 'A']] as const) {
      const replaced = real.readlinkSync(out)
      const seen: string[] = []
      const problems: string[] = []
      watch.check = (call) => {
        const now = real.lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink() ? readSite(out) : undefined
        const which = same(now, sites[from].expected) ? from : same(now, sites[to].expected) ? to : undefined
        if (which === undefined) problems.push(`${call}: dist is ${now ? `neither site: ${[...now.keys()].join(', ')}` : 'not there, or not a link'}`)
        else if (seen.at(-1) !== which) seen.push(which)
      }
      try {
        await write(to)
      } finally {
        watch.check = undefined
      }
      expect(problems).toEqual([])
      // The writer was watched while it switched: first the old site, then the new one, and never back.
      expect(seen).toEqual([from, to])
      expect(readSite(out)).toEqual(sites[to].expected)
      // Only the new site, the link and the site it replaced are left.
      expect(real.readdirSync(dir).filter((name) => name !== 'public').sort()).toEqual([real.readlinkSync(out), replaced, 'dist'].sort())
      expect(readSite(path.join(dir, replaced))).toEqual(sites[from].expected)
    }
  })
})

/** The names in `dir`, with the stamp of a site, draft or link replaced by `*`. */
const names = (dir: string) =>
  real
    .readdirSync(dir)
    .map((name) => name.replace(/^(\.dist-[a-z]+-).*$/, '$1*'))
    .sort()

describe('the output folder', () => {
  it('is a link, relative to its folder, to the site it returns the name of', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'a', 'b', 'dist')
    const name = (await writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [] }))?.name
    expect(name).toMatch(/^\.dist-site-/)
    // Relative, so that the project folder can be moved or mounted elsewhere.
    expect(real.readlinkSync(out)).toBe(name)
    expect(await linkedSite(out)).toBe(name)
    expect(readSite(out)).toEqual(new Map([['index.html', 'home']]))
  })

  it('gives each site a folder of its own, even two written in the same millisecond', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2025, 0, 1))
    try {
      // Empty sites, as a folder may be renamed over an empty one: the second would be removed as the first.
      const first = (await writeSite({ outDir: out, files: new Map(), assetDirs: [] }))?.name
      const second = (await writeSite({ outDir: out, files: new Map(), assetDirs: [] }))?.name
      expect(second).not.toBe(first)
      expect(await linkedSite(out)).toBe(second)
      await writeSite({ outDir: out, files: new Map([['index.html', 'third']]), assetDirs: [] })
      await writeSite({ outDir: out, files: new Map([['index.html', 'fourth']]), assetDirs: [] })
    } finally {
      now.mockRestore()
    }
    expect(readSite(out)).toEqual(new Map([['index.html', 'fourth']]))
    // The current site and the one it replaced, kept as the spare.
    expect(names(dir)).toEqual(['.dist-site-*', '.dist-site-*', 'dist'])
  })

  it('replaces a real folder left by an older version, and leaves nothing of it', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeFiles(out, { 'old.html': 'old', 'sub/page.html': 'old' })
    expect(await linkedSite(out)).toBeUndefined()
    await writeSite({ outDir: out, files: new Map([['index.html', 'new']]), assetDirs: [] })
    expect(real.lstatSync(out).isSymbolicLink()).toBe(true)
    expect(readSite(out)).toEqual(new Map([['index.html', 'new']]))
    expect(names(dir)).toEqual(['.dist-site-*', 'dist'])
  })

  it('puts the real folder back when the link cannot take its name', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeFiles(out, { 'old.html': 'old' })
    let renames = 0
    watch.check = (call) => {
      // Renamed: the draft to a site, the link over `dist` (refused: a folder), `dist` aside, then the link again.
      if (call === 'before rename' && ++renames === 4) throw Object.assign(new Error('the disk is full'), { code: 'ENOSPC' })
    }
    try {
      await expect(writeSite({ outDir: out, files: new Map([['index.html', 'new']]), assetDirs: [] })).rejects.toThrow('the disk is full')
    } finally {
      watch.check = undefined
    }
    expect(real.lstatSync(out).isDirectory()).toBe(true)
    expect(readSite(out)).toEqual(new Map([['old.html', 'old']]))
  })

  it('steps the old output aside where the system will not rename a link over it, as Windows and macOS may refuse', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [] })
    for (const code of ['ENOTEMPTY', 'EEXIST', 'EPERM', 'ENOTDIR']) {
      // The rename right after the new link is made is the one over `dist`.
      let linked = false
      watch.check = (call) => {
        if (call === 'after symlink') linked = true
        else if (call === 'before rename' && linked) {
          linked = false
          throw Object.assign(new Error(`refused: ${code}`), { code })
        }
      }
      try {
        await writeSite({ outDir: out, files: new Map([['index.html', code]]), assetDirs: [] })
      } finally {
        watch.check = undefined
      }
      expect(readSite(out)).toEqual(new Map([['index.html', code]]))
      // The old `dist` (a link) stepped aside and was removed; the site it led to is the spare.
      expect(names(dir)).toEqual(['.dist-site-*', '.dist-site-*', 'dist'])
    }
  })

  it('gives up with the error when the link cannot replace the output folder for any other reason', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [] })
    let renames = 0
    watch.check = (call) => {
      if (call === 'before rename' && ++renames === 2) throw Object.assign(new Error('no such device'), { code: 'ENODEV' })
    }
    try {
      await expect(writeSite({ outDir: out, files: new Map([['index.html', 'second']]), assetDirs: [] })).rejects.toThrow('no such device')
    } finally {
      watch.check = undefined
    }
    expect(readSite(out)).toEqual(new Map([['index.html', 'first']]))
  })

  it('removes what killed builds left next to it but one spare, a site before a draft, and nothing else', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const first = (await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [] }))?.name
    await writeFiles(dir, {
      '.dist-new-1-a/index.html': 'draft',
      '.dist-site-1-b/index.html': 'unlinked',
      '.dist-old-1-c/index.html': 'retired',
      '.dist-other/keep.txt': 'not ours',
      '.distant/keep.txt': 'not ours',
      'dist-site-1-d/keep.txt': 'not hidden, not ours',
      // As long as `.dist-`, and what follows it looks like one of its sites.
      'xdist-site-1-f/keep.txt': 'another prefix, not ours',
    })
    real.symlinkSync('.dist-site-1-b', path.join(dir, '.dist-link-1-e'))
    await tidyOutput(out, 50)
    const others = ['.dist-other', '.distant', 'dist', 'dist-site-1-d', 'xdist-site-1-f']
    expect(real.readdirSync(dir).sort()).toEqual([first, '.dist-site-1-b', ...others].sort())
    // The spare is the folder the next site is made in; a draft beside it goes.
    const spare = real.lstatSync(path.join(dir, '.dist-site-1-b')).ino
    await writeFiles(dir, { '.dist-new-2-a/index.html': 'draft' })
    const second = (await writeSite({ outDir: out, files: new Map([['index.html', 'second']]), assetDirs: [], lockWait: 50 }))?.name
    expect(real.readdirSync(dir).sort()).toEqual([second, first, ...others].sort())
    expect(real.lstatSync(path.join(dir, second!)).ino).toBe(spare)
    expect(readSite(out)).toEqual(new Map([['index.html', 'second']]))
    // With no site but the current one, a draft is the spare; an old output folder stepped aside never is.
    await writeFiles(dir, { '.dist-new-3-a/index.html': 'draft', '.dist-new-3-b/index.html': 'draft', '.dist-old-3-c/index.html': 'retired' })
    real.rmSync(path.join(dir, first!), { recursive: true })
    await tidyOutput(out, 50)
    expect(real.readdirSync(dir).sort()).toEqual([second, '.dist-new-3-b', ...others].sort())
  })

  it('never removes a folder it links to that is not one of its sites', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    for (const target of ['mine', path.join('elsewhere', '.dist-site-1-a')]) {
      await writeFiles(path.join(dir, target), { 'index.html': 'kept' })
      real.rmSync(out, { force: true })
      real.symlinkSync(target, out)
      expect(await linkedSite(out)).toBeUndefined()
      await writeSite({ outDir: out, files: new Map([['index.html', 'new']]), assetDirs: [] })
      expect(readSite(path.join(dir, target))).toEqual(new Map([['index.html', 'kept']]))
    }
  })

  it('does not name a site that is gone', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const name = (await writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [] }))?.name
    real.rmSync(path.join(dir, name!), { recursive: true })
    expect(await linkedSite(out)).toBeUndefined()
  })

  it('writes the next site over a link to a site that is gone', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const name = (await writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [] }))?.name
    real.rmSync(path.join(dir, name!), { recursive: true })
    await writeSite({ outDir: out, files: new Map([['index.html', 'next']]), assetDirs: [] })
    expect(readSite(out)).toEqual(new Map([['index.html', 'next']]))
    expect(names(dir)).toEqual(['.dist-site-*', 'dist'])
  })
})

describe('writing a site', () => {
  it('copies the static folders in order, later ones winning, and skips one that is not there', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'theme/assets/a.css': 'theme a', 'theme/assets/b.css': 'theme b', 'public/assets/b.css': 'public b' })
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [path.join(dir, 'theme'), path.join(dir, 'missing'), path.join(dir, 'public')] })
    expect(readSite(out)).toEqual(new Map([['assets/a.css', 'theme a'], ['assets/b.css', 'public b'], ['index.html', 'home']]))
  })

  it('copies a link inside a static folder as the file it names, and never one that leads outside', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'public/style.css': 'body {}', 'public-private/secret.txt': 'SECRET', 'private.txt': 'SECRET' })
    real.symlinkSync('style.css', path.join(dir, 'public', 'alias.css'))
    real.symlinkSync(path.join('..', 'public-private', 'secret.txt'), path.join(dir, 'public', 'sibling.txt'))
    real.symlinkSync(path.join('..', 'private.txt'), path.join(dir, 'public', 'outside.txt'))
    real.symlinkSync('gone.txt', path.join(dir, 'public', 'dangling.txt'))
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map(), assetDirs: [path.join(dir, 'public')] })
    expect(readSite(out)).toEqual(new Map([['alias.css', 'body {}'], ['style.css', 'body {}']]))
    expect(real.lstatSync(path.join(out, 'alias.css')).isFile()).toBe(true)
  })

  it('fails on a static folder it cannot read, and leaves no draft', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'file.txt': 'not a folder' })
    const out = path.join(dir, 'dist')
    await expect(writeSite({ outDir: out, files: new Map(), assetDirs: [path.join(dir, 'file.txt', 'public')] })).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect(names(dir)).toEqual(['file.txt'])
  })

  it('writes the files that come later, part by part, and publishes nothing when they end refused', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [], later: parts(true, new Map([['search/index.js', 'index']]), new Map([['search/a/1.pf', 'shard']])) })
    expect(readSite(out)).toEqual(new Map([['index.html', 'first'], ['search/a/1.pf', 'shard'], ['search/index.js', 'index']]))
    const nothing = await writeSite({ outDir: out, files: new Map([['index.html', 'second']]), assetDirs: [], later: parts(false, new Map([['search/part.js', 'a part']])) })
    expect(nothing).toBeUndefined()
    expect(readSite(out)).toEqual(new Map([['index.html', 'first'], ['search/a/1.pf', 'shard'], ['search/index.js', 'index']]))
    expect(names(dir)).toEqual(['.dist-site-*', 'dist'])
  })

  it('gives other work in the process a turn while it writes, whatever part it is writing', async () => {
    const dir = await tempDir()
    const many = (prefix: string) => new Map(Array.from({ length: 40 }, (_, i) => [`${prefix}${i}/index.html`, `page ${i}`]))
    /** How many times other work ran between two files written. */
    const turns = async (turnMs: number) => {
      const events: ('write' | 'other')[] = []
      let writing = true
      const other = () => {
        if (!writing) return
        if (events.at(-1) === 'write') events.push('other')
        setImmediate(other)
      }
      watch.check = (call) => {
        if (call === 'after writeFileSync') events.push('write')
      }
      setImmediate(other)
      try {
        await writeSite({ outDir: path.join(dir, `dist-${turnMs}`), files: many('a'), later: parts(true, many('b')), assetDirs: [], turnMs })
      } finally {
        watch.check = undefined
        writing = false
      }
      expect(events.filter((event) => event === 'write')).toHaveLength(80)
      return events.filter((event, i) => event === 'other' && events[i + 1] === 'write').length
    }
    // After every file, with no time between turns; only between the parts in a minute of writing.
    expect(await turns(0)).toBe(79)
    expect(await turns(60_000)).toBeLessThanOrEqual(1)
  })

  it('refuses to let a later file replace one already written, with the path, and keeps the previous site', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [] })
    const attempt = writeSite({ outDir: out, files: new Map([['a/index.html', 'page']]), assetDirs: [], later: parts(true, new Map([['a/index.html', 'other']])) })
    await expect(attempt).rejects.toThrow('Two files would be published at a/index.html: refusing to let one replace the other')
    expect(readSite(out)).toEqual(new Map([['index.html', 'first']]))
    expect(names(dir)).toEqual(['.dist-site-*', 'dist'])
  })

  it('passes on a failure to make the draft folder as it is, and leaves nothing behind', async () => {
    const dir = await tempDir()
    let mkdirs = 0
    watch.check = (call) => {
      // Made: the output's parent folder, then the draft.
      if (call === 'before mkdir' && ++mkdirs === 2) throw Object.assign(new Error('the disk is full'), { code: 'ENOSPC' })
    }
    try {
      await expect(writeSite({ outDir: path.join(dir, 'dist'), files: new Map([['index.html', 'page']]), assetDirs: [] })).rejects.toThrow('the disk is full')
    } finally {
      watch.check = undefined
    }
    expect(names(dir)).toEqual([])
  })

  it('passes on any other failure to write a file as it is', async () => {
    const dir = await tempDir()
    const attempt = writeSite({ outDir: path.join(dir, 'dist'), files: new Map([[`${'x'.repeat(300)}.html`, 'page']]), assetDirs: [] })
    await expect(attempt).rejects.toMatchObject({ code: 'ENAMETOOLONG' })
    expect(names(dir)).toEqual([])
  })

  it('waits for the lock of another build, gives up in time, and lets go of its own even when it fails', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const lock = path.join(dir, '.dist.lock')
    // A lock held by a live process on this machine: this one.
    real.writeFileSync(lock, `${JSON.stringify({ pid: process.pid, host: hostname(), since: '2025-01-01T00:00:00.000Z' })}\n`)
    await expect(writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [], lockWait: 50 })).rejects.toBeInstanceOf(OutputLockedError)
    await expect(tidyOutput(out, 50)).rejects.toBeInstanceOf(OutputLockedError)
    expect(names(dir)).toEqual(['.dist.lock'])
    real.rmSync(lock)
    await expect(writeSite({ outDir: out, files: new Map([['../x', 'outside']]), assetDirs: [], lockWait: 50 })).rejects.toThrow('Refusing to write outside the output folder: ../x')
    await writeSite({ outDir: out, files: new Map([['index.html', 'home']]), assetDirs: [], lockWait: 50 })
    await tidyOutput(out, 50)
    expect(names(dir)).toEqual(['.dist-site-*', 'dist'])
  })
})

/** Every file under `dir` with its text, file number (inode) and permissions. */
function readFiles(dir: string): Map<string, { text: string; ino: number; mode: number }> {
  const files = new Map<string, { text: string; ino: number; mode: number }>()
  for (const [name, text] of readSite(dir) ?? []) {
    const info = real.lstatSync(path.join(dir, name))
    files.set(name, { text, ino: info.ino, mode: info.mode & 0o7777 })
  }
  return files
}

/** Run `write`, and check at the moment its site is complete and not yet published that `folder` holds `files` as they were. */
async function unchangedUntilSwitch<T>(folder: string, files: ReturnType<typeof readFiles>, write: () => Promise<T>): Promise<T> {
  let checked = false
  watch.check = (call) => {
    if (call !== 'before symlink') return
    expect(readFiles(folder)).toEqual(files)
    checked = true
  }
  let written: T
  try {
    written = await write()
  } finally {
    watch.check = undefined
  }
  expect(checked).toBe(true)
  return written
}

/** A folder for a site, with its output folder and two static files, one of them executable. */
async function withStaticFiles() {
  const dir = await tempDir()
  const out = path.join(dir, 'dist')
  const assets = path.join(dir, 'public')
  await writeFiles(assets, { 'assets/style.css': 'body {}', 'bin/run.sh': 'echo run' })
  real.chmodSync(path.join(assets, 'bin/run.sh'), 0o755)
  return { dir, out, assets }
}

describe('reusing the files of the previous site', () => {
  /** A site of a few pages, a file that comes later, and two static files, one of them executable. */
  async function project() {
    const { dir, out, assets } = await withStaticFiles()
    const pages = (edited: string) =>
      new Map<string, string | Uint8Array>([
        ['index.html', 'home'],
        ['a/index.html', 'chapter a'],
        ['b/index.html', `chapter b${edited}`],
        ['c/index.html', new TextEncoder().encode('chapter c, as bytes')],
      ])
    const write = (edited: string) => writeSite({ outDir: out, files: pages(edited), later: parts(true, new Map([['search/index.js', 'index']])), assetDirs: [assets] })
    return { dir, out, assets, write }
  }

  it('links every file the previous site holds with the same bytes, writes the one that changed, and leaves the previous site as it was', async () => {
    const { out, write } = await project()
    const first = await write('')
    expect(first).toMatchObject({ written: 7, linked: 0 })
    const before = readFiles(out)
    const old = path.join(path.dirname(out), first!.name)
    // The moment the new site is complete and not yet published: the previous site is untouched, its files shared.
    const second = await unchangedUntilSwitch(old, before, () => write(' edited'))
    expect(second).toMatchObject({ written: 1, linked: 6 })
    const after = readFiles(out)
    expect(after.get('b/index.html')).toMatchObject({ text: 'chapter b edited' })
    expect(after.get('b/index.html')!.ino).not.toBe(before.get('b/index.html')!.ino)
    for (const name of ['index.html', 'a/index.html', 'c/index.html', 'search/index.js', 'assets/style.css', 'bin/run.sh']) {
      expect(after.get(name), name).toEqual(before.get(name))
    }
    // The previous site stays, as the spare: the linked files' one other name.
    expect(readFiles(old)).toEqual(before)
    expect(real.lstatSync(path.join(out, 'index.html')).nlink).toBe(2)
  })

  it('writes afresh a file that was changed in the previous site, in its bytes or its permissions, or that has another name', async () => {
    const { dir, out, assets, write } = await project()
    await write('')
    const before = readFiles(out)
    // Same sizes, other bytes, changed where they are: a link would publish them.
    real.writeFileSync(path.join(out, 'a/index.html'), 'CHAPTER A')
    real.writeFileSync(path.join(out, 'assets/style.css'), 'BODY {}')
    real.chmodSync(path.join(out, 'index.html'), 0o600)
    real.chmodSync(path.join(assets, 'bin/run.sh'), 0o700)
    // A backup that shares its file with the site: linked, a change to the backup would reach the site.
    real.linkSync(path.join(out, 'c/index.html'), path.join(dir, 'backup.html'))
    const second = await write('')
    expect(second).toMatchObject({ written: 5, linked: 2 })
    const after = readFiles(out)
    expect(after.get('a/index.html')).toMatchObject({ text: 'chapter a' })
    expect(after.get('assets/style.css')).toMatchObject({ text: 'body {}' })
    expect(after.get('index.html')).toEqual({ ...before.get('index.html'), ino: after.get('index.html')!.ino })
    expect(after.get('bin/run.sh')).toMatchObject({ text: 'echo run', mode: 0o700 })
    for (const name of ['a/index.html', 'assets/style.css', 'index.html', 'bin/run.sh', 'c/index.html']) {
      expect(after.get(name)!.ino, name).not.toBe(before.get(name)!.ino)
    }
    real.writeFileSync(path.join(dir, 'backup.html'), 'changed backup')
    expect(real.readFileSync(path.join(out, 'c/index.html'), 'utf8')).toBe('chapter c, as bytes')
  })

  it('makes the same site, bytes and permissions, as a build with no previous site', async () => {
    const { out, write } = await project()
    await write('')
    await write(' edited')
    const fresh = await project()
    await fresh.write(' edited')
    const strip = (files: Map<string, { text: string; mode: number }>) => new Map([...files].map(([name, { text, mode }]) => [name, { text, mode }]))
    expect(strip(readFiles(out))).toEqual(strip(readFiles(fresh.out)))
  })

  it('writes every file, and tries no other link, where the file system will not link', async () => {
    const { out, write } = await project()
    await write('')
    const before = readFiles(out)
    let links = 0
    watch.check = (call) => {
      if (call === 'before linkSync' && ++links === 1) throw Object.assign(new Error('cross-device link not permitted'), { code: 'EXDEV' })
    }
    let second
    try {
      second = await write(' edited')
    } finally {
      watch.check = undefined
    }
    expect(links).toBe(1)
    expect(second).toMatchObject({ written: 7, linked: 0 })
    const after = readFiles(out)
    expect(after.get('b/index.html')).toMatchObject({ text: 'chapter b edited' })
    for (const [name, file] of before) if (name !== 'b/index.html') expect(after.get(name), name).toEqual({ ...file, ino: after.get(name)!.ino })
  })

  it('refuses a file that would replace a static file, also when the previous site holds its bytes', async () => {
    const { out, assets, write } = await project()
    await write('')
    real.writeFileSync(path.join(assets, 'assets/style.css'), 'body { color: red }')
    const attempt = writeSite({ outDir: out, files: new Map([['assets/style.css', 'body {}']]), assetDirs: [assets] })
    await expect(attempt).rejects.toThrow('Two files would be published at assets/style.css: refusing to let one replace the other')
    expect(real.readFileSync(path.join(out, 'assets/style.css'), 'utf8')).toBe('body {}')
  })
})

describe('making the next site from the spare', () => {
  /** A site of a few pages and a file that comes later, written from `pages`, with two static files, one of them executable. */
  async function project() {
    const { dir, out, assets } = await withStaticFiles()
    const write = (pages: Record<string, string>) =>
      writeSite({ outDir: out, files: new Map(Object.entries(pages)), later: parts(true, new Map([['search/index.js', 'index']])), assetDirs: [assets] })
    /** The site that is not the current one: the spare. */
    const spare = () => {
      const spares = real.readdirSync(dir).filter((name) => name.startsWith('.dist-site-') && name !== real.readlinkSync(out))
      expect(spares).toHaveLength(1)
      return path.join(dir, spares[0]!)
    }
    return { dir, out, assets, write, spare }
  }
  const strip = (files: Map<string, { text: string; mode: number }>) => new Map([...files].map(([name, { text, mode }]) => [name, { text, mode }]))
  /** The same pages written into a folder with no site before them. */
  async function fresh(pages: Record<string, string>) {
    const other = await project()
    await other.write(pages)
    return strip(readFiles(other.out))
  }

  const one = { 'index.html': 'home', 'a/index.html': 'chapter a', 'b/index.html': 'chapter b', 'gone/index.html': 'gone soon' }
  const two = { ...one, 'b/index.html': 'chapter b edited' }

  it('keeps what the spare holds unchanged, links or writes the rest, removes what is no longer in the site, and never changes the current site', async () => {
    const { out, write } = await project()
    await write(one)
    await write(two)
    const current = path.join(path.dirname(out), real.readlinkSync(out))
    const before = readFiles(current)
    const three: Record<string, string> = { 'index.html': 'home', 'a/index.html': 'chapter a', 'b/index.html': 'chapter b, third', 'c/index.html': 'chapter c' }
    // The moment the new site is complete and not yet published: the current site is as it was.
    const third = await unchangedUntilSwitch(current, before, () => write(three))
    // Kept: the home page, chapter a, the search file and both static files; written: chapter b and chapter c.
    expect(third).toMatchObject({ kept: 5, linked: 0, written: 2 })
    expect(strip(readFiles(out))).toEqual(await fresh(three))
    const after = readFiles(out)
    for (const name of ['index.html', 'a/index.html', 'search/index.js', 'assets/style.css', 'bin/run.sh']) expect(after.get(name)!.ino, name).toBe(before.get(name)!.ino)
    expect(real.existsSync(path.join(out, 'gone'))).toBe(false)

    // The spare is now the second site: chapter b and chapter c, changed since it, are linked from the current one.
    const four = { ...three, 'index.html': 'home, fourth' }
    expect(await write(four)).toMatchObject({ kept: 4, linked: 2, written: 1 })
    expect(strip(readFiles(out))).toEqual(await fresh(four))
  })

  it('makes the same site, bytes and permissions, as a build with no previous site, edit after edit', async () => {
    const { out, write } = await project()
    const versions = [one, two, { ...one, 'b/index.html': 'b' }, two, { 'index.html': 'only the home page' }, one]
    for (const pages of versions) {
      await write(pages)
      expect(strip(readFiles(out))).toEqual(await fresh(pages))
    }
  })

  it('neither follows nor keeps what is in the way in the spare: a link, a folder where a file goes, a file where a folder goes', async () => {
    const { dir, out, write, spare } = await project()
    await write(one)
    await write(two)
    const held = spare()
    // A link to a file outside, with the very bytes the site needs there.
    await writeFiles(dir, { 'outside.html': 'chapter a' })
    real.rmSync(path.join(held, 'a/index.html'))
    real.symlinkSync(path.join(dir, 'outside.html'), path.join(held, 'a/index.html'))
    // A link to a folder outside where the site has a folder.
    await writeFiles(dir, { 'elsewhere/index.html': 'gone soon' })
    real.rmSync(path.join(held, 'gone'), { recursive: true })
    real.symlinkSync(path.join(dir, 'elsewhere'), path.join(held, 'gone'))
    // A folder where a file goes, a file where a folder goes, and files the site does not have.
    real.rmSync(path.join(held, 'index.html'))
    await writeFiles(held, { 'index.html/inside.html': 'home', 'stray.html': 'stray', 'deep/er/stray.html': 'stray' })
    real.rmSync(path.join(held, 'search'), { recursive: true })
    await writeFiles(held, { search: 'index' })
    await write(one)
    expect(strip(readFiles(out))).toEqual(await fresh(one))
    for (const name of ['a/index.html', 'gone/index.html', 'index.html', 'search/index.js']) expect(real.lstatSync(path.join(out, name)).isFile(), name).toBe(true)
    expect(real.readFileSync(path.join(dir, 'outside.html'), 'utf8')).toBe('chapter a')
    expect(readSite(path.join(dir, 'elsewhere'))).toEqual(new Map([['index.html', 'gone soon']]))
  })

  it("makes anew a file of the spare that was changed, or that has a name besides its own and the current site's", async () => {
    const { dir, out, write, spare } = await project()
    await write(one)
    await write(two)
    const held = spare()
    const before = readFiles(held)
    // Chapter b of the spare is its own file (the current site's differs): same size, other bytes.
    real.writeFileSync(path.join(held, 'b/index.html'), 'CHAPTER B')
    // Chapter a is one file in both sites; two backups are a third and a fourth name for it.
    real.linkSync(path.join(held, 'a/index.html'), path.join(dir, 'backup-a.html'))
    real.linkSync(path.join(held, 'a/index.html'), path.join(dir, 'backup-a2.html'))
    // The spare's own file with one name besides its own, which is not the current site's.
    real.linkSync(path.join(held, 'gone/index.html'), path.join(dir, 'moved.html'))
    real.unlinkSync(path.join(out, 'gone/index.html'))
    real.writeFileSync(path.join(out, 'gone/index.html'), 'another file')
    const result = await write(one)
    expect(result).toMatchObject({ written: 3 })
    expect(strip(readFiles(out))).toEqual(await fresh(one))
    const after = readFiles(out)
    // (Chapter b's old file is gone, and its number may be given to the new one.)
    for (const name of ['a/index.html', 'gone/index.html']) expect(after.get(name)!.ino, name).not.toBe(before.get(name)!.ino)
    real.writeFileSync(path.join(dir, 'backup-a.html'), 'changed backup')
    real.writeFileSync(path.join(dir, 'moved.html'), 'changed too')
    expect(real.readFileSync(path.join(out, 'a/index.html'), 'utf8')).toBe('chapter a')
    expect(real.readFileSync(path.join(out, 'gone/index.html'), 'utf8')).toBe('gone soon')
  })

  it('links a file the current site holds under another name that `alike` gives, where its only other names are in the spare', async () => {
    const { dir, out } = await project()
    // A shard of the search index made again, in a folder named by its content: most of its files are the same.
    const shard = (name: string, changed: string) => new Map([[`pagefind/${name}/same.pf`, 'the same bytes'], [`pagefind/${name}/changed.pf`, changed]])
    const write = (name: string, changed: string, replaced?: string) =>
      writeSite({
        outDir: out,
        files: new Map([['index.html', 'home']]),
        later: parts(true, shard(name, changed)),
        assetDirs: [],
        ...(replaced === undefined ? {} : { alike: (relative: string) => (relative.startsWith(`pagefind/${name}/`) ? relative.replace(name, replaced) : undefined) }),
      })
    await write('one', 'first')
    const ino = () => real.lstatSync(path.join(out, 'pagefind', real.readdirSync(path.join(out, 'pagefind'))[0]!, 'same.pf'))
    const first = ino().ino
    // No spare yet: linked from the current site, whose file has no other name.
    expect(await write('two', 'second', 'one')).toMatchObject({ linked: 2, written: 1 })
    expect(ino().ino).toBe(first)
    // The spare holds the file, as `one`: a name of ours, which goes with the stale folder.
    expect(await write('three', 'third', 'two')).toMatchObject({ kept: 1, linked: 1, written: 1 })
    expect(ino().ino).toBe(first)
    expect(readSite(out)).toEqual(new Map([['index.html', 'home'], ['pagefind/three/changed.pf', 'third'], ['pagefind/three/same.pf', 'the same bytes']]))
    expect(ino().nlink).toBe(2)
    // A name outside the sites: the file is written afresh, and a change made through that name stays out of the site.
    real.linkSync(path.join(out, 'pagefind/three/same.pf'), path.join(dir, 'backup.pf'))
    expect(await write('four', 'fourth', 'three')).toMatchObject({ kept: 1, linked: 0, written: 2 })
    expect(ino().ino).not.toBe(first)
    real.writeFileSync(path.join(dir, 'backup.pf'), 'changed backup')
    expect(real.readFileSync(path.join(out, 'pagefind/four/same.pf'), 'utf8')).toBe('the same bytes')
    // A path outside the site is never linked from, even with the very bytes.
    const escaping = await writeSite({ outDir: out, files: new Map([['fresh.html', 'changed backup']]), assetDirs: [], alike: () => '../backup.pf' })
    expect(escaping).toMatchObject({ linked: 0, written: 1 })
  })

  it('links nothing the current site holds through a link: a file that is a link, a folder that leads elsewhere', async () => {
    const { dir, out, write } = await project()
    await write(one)
    const current = path.join(dir, real.readlinkSync(out))
    // The same bytes, outside the site, reached through links in it; the link to a file is as long as its bytes.
    await writeFiles(dir, { 'outside/index.html': 'chapter a', ob1: 'chapter b' })
    real.rmSync(path.join(current, 'a'), { recursive: true })
    real.symlinkSync(path.join(dir, 'outside'), path.join(current, 'a'))
    real.rmSync(path.join(current, 'b/index.html'))
    real.symlinkSync('../../ob1', path.join(current, 'b/index.html'))
    expect(real.lstatSync(path.join(current, 'b/index.html')).size).toBe('chapter b'.length)
    expect(await write(one)).toMatchObject({ written: 2 })
    for (const name of ['a/index.html', 'b/index.html']) {
      const info = real.lstatSync(path.join(out, name))
      expect(info.isFile() && info.nlink, name).toBe(1)
    }
    expect(strip(readFiles(out))).toEqual(await fresh(one))
  })

  it("counts the current site's name of a file once, when `alike` gives the path itself", async () => {
    const { dir, out, spare } = await project()
    const write = () => writeSite({ outDir: out, files: new Map(Object.entries(one)), assetDirs: [], alike: (relative) => relative })
    await write()
    await write()
    // Chapter a is one file in both sites, with a third name outside them.
    real.linkSync(path.join(spare(), 'a/index.html'), path.join(dir, 'backup.html'))
    expect(await write()).toMatchObject({ kept: 3, written: 1 })
    real.writeFileSync(path.join(dir, 'backup.html'), 'changed backup')
    expect(real.readFileSync(path.join(out, 'a/index.html'), 'utf8')).toBe('chapter a')
  })

  it('begins afresh rather than from a spare whose folder has other permissions than a new one gets', async () => {
    const { out, write, spare } = await project()
    await write(one)
    await write(two)
    const held = spare()
    const mode = real.statSync(held).mode & 0o7777
    real.chmodSync(held, mode === 0o700 ? 0o750 : 0o700)
    const result = await write(one)
    expect(result).toMatchObject({ kept: 0 })
    expect(real.existsSync(held)).toBe(false)
    expect(real.statSync(path.join(path.dirname(out), real.readlinkSync(out))).mode & 0o7777).toBe(mode)
    expect(strip(readFiles(out))).toEqual(await fresh(one))
  })
})

describe('copying static folders', () => {
  it('copies a folder that a link inside leads to, and empty folders, and does not follow a link back into a folder it is in', async () => {
    const dir = await tempDir()
    const assets = path.join(dir, 'public')
    await writeFiles(assets, { 'images/a.svg': '<svg/>' })
    real.mkdirSync(path.join(assets, 'empty'))
    real.symlinkSync('images', path.join(assets, 'pictures'))
    real.symlinkSync('..', path.join(assets, 'images', 'up'))
    real.symlinkSync('.', path.join(assets, 'images', 'self'))
    real.symlinkSync('.', path.join(assets, 'here'))
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map(), assetDirs: [assets] })
    expect(readSite(out)).toEqual(new Map([['images/a.svg', '<svg/>'], ['pictures/a.svg', '<svg/>']]))
    const folders = real.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory())
    expect(folders.map((entry) => path.relative(out, path.join(entry.parentPath, entry.name))).sort()).toEqual(['empty', 'images', 'pictures'])
  })

  it('refuses to publish what is neither a file nor a folder, naming it', async () => {
    const dir = await tempDir()
    const assets = path.join(dir, 'public')
    await writeFiles(assets, { 'a.txt': 'a' })
    const { createServer } = await import('node:net')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(path.join(assets, 'socket'), resolve))
    try {
      await expect(writeSite({ outDir: path.join(dir, 'dist'), files: new Map(), assetDirs: [assets] })).rejects.toThrow(`Cannot publish ${path.join(real.realpathSync(assets), 'socket')}: it is neither a file nor a folder`)
    } finally {
      server.close()
    }
  })
})
