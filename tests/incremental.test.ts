// Work follows the edit: each chapter's facts and page are kept with what the
// page read of the shared index (src/parallel/reads.ts), and a build takes
// them back only when nothing they depend on changed. These tests check the
// recording itself, and that builds which take pages back give the site a
// build without the cache gives.

import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { allEntries, settleEntries, writeEntry } from '../src/cache/packs.js'
import { BuildSession } from '../src/dev/session.js'
import { loadSources, type KnownFiles } from '../src/load/files.js'
import { ReadValues, readValue, tracked } from '../src/parallel/reads.js'
import { changedPages, readSite, repoRoot, siteDifference, tempDir, writeFiles } from './helpers.js'

const sep = '\u0000'
const path_ = (...steps: string[]) => steps.join(sep)

describe('recording what a page reads', () => {
  const shared = () => ({
    index: {
      findings: new Map([
        ['f-a', { number: 1, title: 'A' }],
        ['f-b', { number: 2, title: 'B' }],
      ]),
      hasRegistry: true,
    },
    chapters: [{ slug: 'one' }, { slug: 'two' }],
    inReport: new Set(['one']),
  })

  it('records one entry for a lookup, and the whole for an iteration or a size', () => {
    const data = shared()
    const reads = new Set<string>()
    const index = tracked(data.index, 'index', reads)
    expect(index.findings.get('f-a')?.title).toBe('A')
    expect(index.findings.has('f-z')).toBe(false)
    expect(index.hasRegistry).toBe(true)
    expect([...reads].sort()).toEqual([path_('index', '.findings', '#f-a'), path_('index', '.findings', '#f-z'), path_('index', '.hasRegistry')])

    reads.clear()
    expect([...index.findings.keys()]).toEqual(['f-a', 'f-b'])
    expect([...reads]).toEqual([path_('index', '.findings', '*')])
    reads.clear()
    expect(index.findings.size).toBe(2)
    expect([...reads]).toEqual([path_('index', '.findings', '*')])
  })

  it('records list items by place, and the whole list when it is walked or measured', () => {
    const data = shared()
    const reads = new Set<string>()
    const chapters = tracked(data.chapters, 'chapters', reads)
    expect(chapters[1]?.slug).toBe('two')
    expect([...reads]).toEqual([path_('chapters', '#1')])
    reads.clear()
    expect(chapters.map((c) => c.slug)).toEqual(['one', 'two'])
    expect(reads.has(path_('chapters', '*'))).toBe(true)
    reads.clear()
    const inReport = tracked(data.inReport, 'inReport', reads)
    expect(inReport.has('two')).toBe(false)
    expect([...reads]).toEqual([path_('inReport', '#two')])
  })

  it('counts a lookup by a key that is not a string, or that holds the separator, as reading the whole map', () => {
    const reads = new Set<string>()
    const map = tracked(new Map<unknown, string>([[1, 'one'], [`P${sep}1`, 'odd']]), 'numbers', reads)
    expect(map.get(1)).toBe('one')
    expect([...reads]).toEqual([path_('numbers', '*')])
    reads.clear()
    expect(map.has(`P${sep}1`)).toBe(true)
    expect([...reads]).toEqual([path_('numbers', '*')])
  })

  it('tells a changed value from an unchanged one, and a missing one from both', () => {
    const before = shared()
    const reads = new Set<string>()
    tracked(before.index, 'index', reads).findings.get('f-a')
    tracked(before.index, 'index', reads).findings.get('f-b')
    tracked(before.inReport, 'inReport', reads).has('one')
    const recorded = new ReadValues(before).record(reads)

    const same = shared()
    expect(new ReadValues(same).unchanged(recorded)).toBe(true)

    const renamed = shared()
    renamed.index.findings.get('f-b')!.title = 'B, renamed'
    expect(new ReadValues(renamed).unchanged(recorded)).toBe(false)

    const gone = shared()
    gone.index.findings.delete('f-a')
    expect(new ReadValues(gone).unchanged(recorded)).toBe(false)
    expect(readValue(gone, path_('index', '.findings', '#f-a'))).toBe('-')

    const left = shared()
    left.inReport.delete('one')
    expect(new ReadValues(left).unchanged(recorded)).toBe(false)
  })

  it('sees a change inside a map kept as a whole', () => {
    const reads = new Set<string>()
    const roots = { headings: new Map([['one', new Map([['intro', { text: 'Intro' }]])]]) }
    tracked(roots.headings, 'headings', reads).get('one')
    const recorded = new ReadValues(roots).record(reads)
    roots.headings.get('one')!.set('more', { text: 'More' })
    expect(new ReadValues(roots).unchanged(recorded)).toBe(false)
  })
})

/** Build with the cache, compare with a build without it, and list the html pages that changed since the last build. */
async function incremental(content: string, dir: string) {
  const cache = path.join(dir, 'cache')
  const out = path.join(dir, 'dist')
  return async () => {
    const before = await readSite(out).catch(() => new Map<string, Buffer>())
    const warm = await build({ contentDir: content, outDir: out, cache })
    const fresh = await build({ contentDir: content, outDir: path.join(dir, 'fresh'), cache: false })
    expect(warm.messages).toEqual(fresh.messages)
    expect(await siteDifference(out, path.join(dir, 'fresh'))).toBeUndefined()
    return changedPages(before, await readSite(out))
  }
}

/** The folder where the build cache keeps the records of the one project built in `dir`. */
async function recordsFolder(dir: string): Promise<string> {
  const [project] = await readdir(path.join(dir, 'cache', 'builds'))
  return path.join(dir, 'cache', 'builds', project!, 'pages')
}

describe('builds that take unchanged pages back', () => {
  it('record on each page the findings it refers to, and remake it when one of them is renamed', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await writeFiles(content, {
      'report.yml': 'title: Waiting\ntoc:\n  - file: a.md\n  - file: b.md\n  - file: c.md\n',
      'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n:::\n\n:::finding{#f-late}\n## Releases are late\n\nThey slip.\n:::\n',
      'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n',
      'c.md': '# Releases\n\nSee [](#f-late).\n',
    })
    const rebuild = await incremental(content, dir)
    expect(await rebuild()).toContain('b/index.html')

    // The page records name what they read: b's names f-slow and not f-late.
    const records = await recordsFolder(dir)
    const pages = [...allEntries(records)].filter(([key]) => key.startsWith('p-')).map(([, json]) => JSON.parse(json) as { reads: [string, string][]; page: { file: string } })
    const b = pages.find((p) => p.page.file === 'b/index.html')!
    const reads = b.reads.map(([p]) => p)
    expect(reads).toContain(path_('index', '.findings', '#f-slow'))
    expect(reads).not.toContain(path_('index', '.findings', '#f-late'))

    const a = path.join(content, 'a.md')
    await writeFile(a, (await readFile(a, 'utf8')).replace('## Releases are late', '## Releases slip by weeks'))
    const changed = await rebuild()
    expect(changed).toContain('c/index.html')
    expect(changed).not.toContain('b/index.html')
  }, 60_000)

  it('remake a MyST page when a file it includes changes, though its own text did not', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await cp(path.join(repoRoot, 'tests', 'fixtures', 'myst-all'), content, { recursive: true })
    const rebuild = await incremental(content, dir)
    await rebuild()
    const snippet = path.join(content, '_snippets', 'shared.md')
    await writeFile(snippet, `${await readFile(snippet, 'utf8')}\nA sentence the including page now shows.\n`)
    const changed = await rebuild()
    expect(changed).toContain('chapters/c-containers/index.html')
    expect(changed.filter((name) => name.startsWith('chapters/'))).toEqual(['chapters/c-containers/index.html'])
  }, 60_000)

  it('build the same site when a kept record is unreadable', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await writeFiles(content, {
      'report.yml': 'title: Waiting\ntoc:\n  - file: a.md\n  - file: b.md\n',
      'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n:::\n',
      'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n',
    })
    const rebuild = await incremental(content, dir)
    await rebuild()
    const records = await recordsFolder(dir)
    // Each record cut short, in packs that are whole.
    const kept = allEntries(records)
    expect(kept.size).toBeGreaterThan(0)
    for (const name of await readdir(records)) await rm(path.join(records, name))
    for (const key of kept.keys()) writeEntry(records, key, '{"half a record')
    settleEntries()
    expect(new Set(allEntries(records).values())).toEqual(new Set(['{"half a record']))
    const b = path.join(content, 'b.md')
    await writeFile(b, `${await readFile(b, 'utf8')}\nOne more sentence.\n`)
    expect(await rebuild()).toContain('b/index.html')
  }, 60_000)

  it('in the preview, read again only the files whose stamp changed, and any file changed in the last moments', async () => {
    const content = await tempDir()
    await writeFiles(content, { 'report.yml': 'title: Stamps\n', 'a.md': '# A\n\nOne.\n', 'b.md': '# B\n\nTwo.\n' })
    // Settled: changed more than two seconds before they are read, so their stamps are trusted.
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const known: KnownFiles = { files: new Map() }
    const first = await loadSources({ contentDir: content, history: false, known })
    expect([...known.files.keys()].sort()).toEqual(['a.md', 'b.md', 'report.yml'])
    const again = await loadSources({ contentDir: content, history: false, known })
    expect(again.markdown[0]).toBe(first.markdown[0])
    expect(again.report).toBe(first.report)

    // A save of the same size within the file system's clock tick may keep the stamp it had: a file
    // changed moments ago is not taken on its stamp, but read each time.
    await writeFile(path.join(content, 'b.md'), '# B\n\nTwe.\n')
    const edited = await loadSources({ contentDir: content, history: false, known })
    expect(edited.markdown[1]!.text).toBe('# B\n\nTwe.\n')
    expect(known.files.has('b.md')).toBe(false)
    await writeFile(path.join(content, 'b.md'), '# B\n\nTwo.\n')
    expect((await loadSources({ contentDir: content, history: false, known })).markdown[1]!.text).toBe('# B\n\nTwo.\n')
    expect((await loadSources({ contentDir: content, history: false, known })).markdown[0]).toBe(first.markdown[0])

    // A file taken away is forgotten.
    await rm(path.join(content, 'a.md'))
    expect((await loadSources({ contentDir: content, history: false, known })).markdown.map((file) => file.path)).toEqual(['b.md'])
    expect(known.files.has('a.md')).toBe(false)
  })

  it('in the preview, list the folder and stat its files again only when the watcher names a path the last listing did not have as a file', async () => {
    const content = await tempDir()
    await writeFiles(content, { 'report.yml': 'title: Listed\n', 'a.md': '# A\n\nOne.\n', 'b.md': '# B\n\nTwo.\n' })
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    const known: KnownFiles = { files: new Map() }
    const load = (changed?: string[]) => loadSources({ contentDir: content, history: false, known, ...(changed && { changed: new Set(changed) }) })
    const first = await load()
    // A file the watcher does not name is taken as the last load read it, with no stat: one changed behind the
    // watcher's back (as this test does) is not seen until it is named, or the folder is listed again.
    await writeFile(path.join(content, 'a.md'), '# A\n\nOne, changed unseen.\n')
    await writeFile(path.join(content, 'b.md'), '# B\n\nTwo, changed.\n')
    const trusted = await load(['b.md'])
    expect(trusted.markdown[0]).toBe(first.markdown[0])
    expect(trusted.markdown[1]!.text).toBe('# B\n\nTwo, changed.\n')
    expect((await load()).markdown[0]!.text).toBe('# A\n\nOne, changed unseen.\n')
    // A new file, a file removed, a file become a folder or a link: the folder is listed again.
    await writeFile(path.join(content, 'c.md'), '# C\n')
    expect((await load(['c.md'])).markdown.map((file) => file.path)).toEqual(['a.md', 'b.md', 'c.md'])
    await rm(path.join(content, 'c.md'))
    expect((await load(['c.md'])).markdown.map((file) => file.path)).toEqual(['a.md', 'b.md'])
    await rm(path.join(content, 'b.md'))
    await mkdir(path.join(content, 'b.md'))
    await writeFile(path.join(content, 'b.md', 'inner.md'), '# Inner\n')
    expect((await load(['b.md'])).markdown.map((file) => file.path)).toEqual(['a.md', 'b.md/inner.md'])
    const outside = await tempDir()
    await writeFile(path.join(outside, 'secret.md'), '# Secret\n')
    await rm(path.join(content, 'a.md'))
    await symlink(path.join(outside, 'secret.md'), path.join(content, 'a.md'))
    const linked = await load(['a.md'])
    expect(linked.markdown.map((file) => file.path)).toEqual(['b.md/inner.md'])
    expect(linked.messages.map((message) => message.ruleId)).toContain('path-inside-project')
  })

  it('in the preview, take pages whole after an edit that changes nothing pages show of one another, and only then', async () => {
    const content = await tempDir()
    await writeFiles(content, {
      'report.yml': 'title: Shared\ntoc:\n  - file: a.md\n  - file: b.md\n  - file: c.md\n',
      'participants.yml': 'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n',
      'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n\n> We wait for weeks.\n> — P01 (paraphrased)\n:::\n',
      'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n',
      'c.md': '# Background\n\nNothing here refers to anything.\n',
    })
    const session = new BuildSession({ contentDir: content })
    const built = async () => {
      const update = await session.rebuild()
      session.finishLater()
      return update
    }
    // The site a session that starts now builds: the one the preview must show.
    const afresh = async () => {
      const other = new BuildSession({ contentDir: content })
      await other.rebuild()
      other.finishLater()
      return other
    }
    const sameAsAfresh = async () => {
      const other = await afresh()
      expect(session.messages).toEqual(other.messages)
      const expected = other.site!.files
      const shown = session.site!.files
      const differing = [...new Set([...expected.keys(), ...shown.keys()])].filter((file) => expected.get(file) !== shown.get(file))
      expect(differing).toEqual([])
    }
    const edit = async (file: string, from: string, to: string) => {
      const full = path.join(content, file)
      const text = await readFile(full, 'utf8')
      expect(text).toContain(from)
      await writeFile(full, text.replace(from, to))
    }
    expect((await built()).ok).toBe(true)

    await edit('c.md', 'Nothing here', 'Still nothing here')
    expect(await built()).toMatchObject({ ok: true, sameShared: true, changed: ['c/index.html'] })
    await sameAsAfresh()

    await edit('a.md', '## Reviews are slow', '## Reviews take weeks')
    const retitled = await built()
    expect(retitled).toMatchObject({ ok: true, sameShared: false })
    expect(retitled.changed).toContain('b/index.html')
    await sameAsAfresh()

    await edit('participants.yml', 'consent: anonymous', 'consent: named\n    name: Ada Example')
    const named = await built()
    expect(named).toMatchObject({ ok: true, sameShared: false })
    expect(session.site!.files.get('a/index.html')).toContain('Ada Example')
    await sameAsAfresh()

    await edit('b.md', 'people wait.', 'people wait, and wait.')
    expect(await built()).toMatchObject({ ok: true, sameShared: true, changed: ['b/index.html'] })
    await sameAsAfresh()

    // Text inside a finding is its summary, which the findings page shows.
    await edit('a.md', 'Pull requests wait.', 'Pull requests wait for days.')
    const summary = await built()
    expect(summary).toMatchObject({ ok: true, sameShared: false })
    expect(summary.changed).toContain('findings/index.html')
    await sameAsAfresh()

    await edit('report.yml', 'title: Shared', 'title: Shared work')
    expect(await built()).toMatchObject({ ok: true, sameShared: false })
    expect(session.site!.files.get('c/index.html')).toContain('Shared work')
    await sameAsAfresh()

    // A warning the shared data gave is given again when that data is taken from the last build.
    await edit('participants.yml', 'name: Ada Example', 'name: Ada Example\n  - id: P02\n    role: Deployer\n    consent: anonymous')
    const unquoted = await built()
    expect(unquoted.messages.map((m) => m.ruleId)).toContain('participant-quoted')
    await edit('c.md', 'Still nothing', 'Nothing at all')
    expect(await built()).toMatchObject({ ok: true, sameShared: true, messages: unquoted.messages })
    await sameAsAfresh()
  }, 60_000)

  it('in the preview, remake only the edited chapter and the pages that show its text', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await writeFiles(content, {
      'report.yml': 'title: Waiting\ntoc:\n  - file: a.md\n  - file: b.md\n  - file: c.md\n',
      'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n:::\n',
      'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n',
      'c.md': '# Releases\n\nNothing to see.\n',
    })
    const session = new BuildSession({ contentDir: content })
    expect((await session.rebuild()).ok).toBe(true)
    const b = path.join(content, 'b.md')
    await writeFile(b, `${await readFile(b, 'utf8')}\nOne more sentence.\n`)
    const update = await session.rebuild()
    expect(update.parsed).toBe(1)
    expect(update.changed.filter((name) => name.endsWith('.html'))).toEqual(['b/index.html'])
    // The full report, which holds every chapter, is made once the pages that changed are served.
    expect(session.site?.files.has('full-report/index.html')).toBe(false)
    expect(session.finishLater()).toMatchObject({ ok: true, changed: ['full-report/index.html'] })
    expect(session.site?.files.get('full-report/index.html')).toContain('One more sentence.')
    expect(session.finishLater()).toBeUndefined()

    // Renaming the finding reaches the page that refers to it, though that page's text is unchanged.
    const a = path.join(content, 'a.md')
    await writeFile(a, (await readFile(a, 'utf8')).replace('## Reviews are slow', '## Reviews take weeks'))
    const renamed = await session.rebuild()
    expect(renamed.parsed).toBe(1)
    expect(renamed.changed).toContain('b/index.html')
    expect(session.site?.files.get('b/index.html')).toContain('Reviews take weeks')
    expect(renamed.changed).not.toContain('c/index.html')
  }, 60_000)
})
