// The build cache is never stale: a build with nothing changed does nothing,
// and after a change the site is exactly what a build without the cache makes,
// with exactly the pages the change affects differing from before.

import { createHash } from 'node:crypto'
import { cp, mkdir, readFile, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCorpus, writeCorpus } from '../bench/corpus.js'
import { build } from '../src/build.js'
import { buildKey, parseKey, withPlugins, type KeyInput } from '../src/cache/key.js'
import type { ProjectSources } from '../src/load/files.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const report = {
  'report.yml': 'title: Review times\ntoc:\n  - file: a.md\n  - file: b.md\n  - file: c.md\n  - file: recs.md\n',
  'participants.yml':
    'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n  - id: P02\n    role: Deployer\n    consent: anonymous\n',
  'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n\n> We wait for weeks.\n> — P01 (paraphrased)\n:::\n',
  'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n\n:::finding{#f-quiet}\n## Deployers are quiet\n\nThey rarely post.\n\n> I read, I do not write.\n> — P02 (paraphrased)\n:::\n',
  'c.md': '# Background\n\nNothing here refers to anything.\n',
  'recs.md': '# Ways forward\n\n:::recommendation{#r-triage addresses="f-slow f-quiet"}\n## Triage weekly\n\nMeet once a week.\n:::\n',
}

async function readSite(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full), await readFile(full, 'latin1'))
  }
  return files
}

/** A project with its own templates and cache, and a reference build without any cache. */
async function project() {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const templates = path.join(dir, 'templates')
  const cache = path.join(dir, 'cache')
  await writeFiles(content, report)
  await cp(path.join(repoRoot, 'templates'), templates, { recursive: true })
  const run = (options: { cache?: false; out?: string } = {}) =>
    build({ contentDir: content, templatesDir: templates, outDir: options.out ?? path.join(dir, 'dist'), cache: options.cache ?? cache })
  /** Build with the cache, check it against a build without one, and list the pages that differ from the last build. */
  const rebuild = async () => {
    const before = await readSite(path.join(dir, 'dist'))
    const result = await run()
    expect(result.written).toBe(true)
    const after = await readSite(path.join(dir, 'dist'))
    await run({ cache: false, out: path.join(dir, 'fresh') })
    expect(after).toEqual(await readSite(path.join(dir, 'fresh')))
    const changed = [...after].filter(([name, text]) => name.endsWith('.html') && before.get(name) !== text).map(([name]) => name)
    return { result, changed: changed.sort() }
  }
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(file, 'utf8')
    expect(text).toContain(from)
    await writeFile(file, text.replace(from, to))
  }
  return { dir, content, templates, cache, run, rebuild, edit }
}

describe('the build cache', () => {
  it('does nothing when nothing changed, and leaves the site in place', async () => {
    const p = await project()
    expect((await p.run()).written).toBe(true)
    const site = await readlink(path.join(p.dir, 'dist'))
    // What a killed build left beside the site is removed all the same.
    await mkdir(path.join(p.dir, '.dist-new-1-killed'))
    const again = await p.run()
    expect(again.unchanged).toBe(true)
    expect((await readdir(p.dir)).filter((name) => name.startsWith('.dist-'))).toEqual([site])
    expect(again.pages).toContain('a/index.html')
    expect(await readlink(path.join(p.dir, 'dist'))).toBe(site)
  }, 60_000)

  it('builds again when the site it remembers is gone from the output folder', async () => {
    const p = await project()
    await p.run()
    await rm(path.join(p.dir, 'dist'), { recursive: true })
    const again = await p.run()
    expect(again.unchanged).toBeFalsy()
    expect(again.written).toBe(true)
    expect(await readFile(path.join(p.dir, 'dist', 'a', 'index.html'), 'utf8')).toContain('Reviews are slow')
  }, 60_000)

  it('is safe to delete, or to find broken', async () => {
    const p = await project()
    await p.run()
    for (const entry of await readdir(path.join(p.cache, 'builds'))) await writeFile(path.join(p.cache, 'builds', entry, 'build.json'), '{ not json')
    expect((await p.run()).unchanged).toBeFalsy()
    await rm(p.cache, { recursive: true })
    const { changed } = await p.rebuild()
    expect(changed).toEqual([])
  }, 60_000)

  it('builds as usual when the cache cannot be written', async () => {
    const p = await project()
    // A file where the cache folder should be: nothing can be made inside it.
    await writeFile(path.join(p.dir, 'blocked'), 'not a folder')
    const result = await build({ contentDir: p.content, templatesDir: p.templates, outDir: path.join(p.dir, 'dist'), cache: path.join(p.dir, 'blocked', 'cache') })
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(result.written).toBe(true)
    expect(await readFile(path.join(p.dir, 'dist', 'a', 'index.html'), 'utf8')).toContain('Reviews are slow')
  }, 60_000)

  it('changes exactly the chapter pages when the chapter template changes', async () => {
    const p = await project()
    await p.run()
    await p.edit(path.join(p.templates, 'chapter.liquid'), '{% block content %}', '{% block content %}<!-- template v2 -->')
    const { changed } = await p.rebuild()
    expect(changed).toEqual(['a/index.html', 'b/index.html', 'c/index.html', 'recs/index.html'])
  }, 60_000)

  it("changes exactly the pages that show a participant's role when it changes", async () => {
    const p = await project()
    await p.run()
    await p.edit(path.join(p.content, 'participants.yml'), 'role: Deployer', 'role: Operator')
    const { changed } = await p.rebuild()
    expect(changed).toEqual(['b/index.html', 'full-report/index.html', 'participants/index.html'])
  }, 60_000)

  it('changes exactly the pages that show the title of a referenced finding when it changes', async () => {
    const p = await project()
    await p.run()
    await p.edit(path.join(p.content, 'a.md'), '## Reviews are slow', '## Reviews take weeks')
    const { changed } = await p.rebuild()
    expect(changed).toEqual([
      'a/index.html',
      'b/index.html',
      'evidence/index.html',
      'findings/index.html',
      'full-report/index.html',
      'participants/index.html',
      'recommendations/index.html',
      'recs/index.html',
    ])
  }, 60_000)

  it('changes every page when the configuration changes the report title', async () => {
    const p = await project()
    await p.run()
    const before = await readSite(path.join(p.dir, 'dist'))
    await p.edit(path.join(p.content, 'report.yml'), 'title: Review times', 'title: Waiting for review')
    const { changed } = await p.rebuild()
    expect(changed).toEqual([...before.keys()].filter((name) => name.endsWith('.html')).sort())
  }, 60_000)

  it('publishes an image or a static file replaced since the last build, though no text changed', async () => {
    const p = await project()
    const publicDir = path.join(p.dir, 'public')
    await cp(path.join(repoRoot, 'public'), publicDir, { recursive: true })
    await p.edit(path.join(p.content, 'c.md'), 'refers to anything.\n', 'refers to anything.\n\n![Reviews per week](chart.png)\n')
    const image = path.join(p.content, 'chart.png')
    const style = path.join(publicDir, 'assets', 'style.css')
    await writeFile(image, 'first image')
    const run = () => build({ contentDir: p.content, templatesDir: p.templates, publicDir, outDir: path.join(p.dir, 'dist'), cache: p.cache })
    const published = (file: string) => readFile(path.join(p.dir, 'dist', file), 'utf8')
    expect((await run()).written).toBe(true)
    expect(await published('chart.png')).toBe('first image')
    expect((await run()).unchanged).toBe(true)

    // The same size, so only the modification time tells them apart; set, so that the clock's resolution does not matter.
    const { mtime } = await stat(image)
    await writeFile(image, 'other image')
    await utimes(image, mtime, new Date(mtime.getTime() + 60_000))
    const replaced = await run()
    expect(replaced.unchanged).toBeFalsy()
    expect(replaced.written).toBe(true)
    expect(await published('chart.png')).toBe('other image')

    await writeFile(style, `${await readFile(style, 'utf8')}\n/* replaced */\n`)
    expect((await run()).unchanged).toBeFalsy()
    expect(await published('assets/style.css')).toContain('/* replaced */')
  }, 60_000)

  it('reads unchanged chapters back instead of parsing them, and builds the same site byte for byte', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await cp(path.join(repoRoot, 'content'), content, { recursive: true })
    await writeCorpus(path.join(dir, 'corpus'), generateCorpus({ pages: 30, seed: 3 }).report)
    for (const source of [content, path.join(dir, 'corpus')]) {
      const cache = path.join(dir, `cache-${path.basename(source)}`)
      const run = (out: string, withCache: boolean) => build({ contentDir: source, outDir: path.join(dir, out), cache: withCache ? cache : false })
      expect((await run('warm', true)).written).toBe(true)
      const [project] = await readdir(path.join(cache, 'builds'))
      const parses = path.join(cache, 'builds', project!, 'parses')
      const first = (await readdir(parses)).sort()
      expect(first.length).toBeGreaterThan(10)

      // Edit one chapter: only its parse is new, the others are read back.
      const chapters = (await readdir(source, { recursive: true })).map(String).filter((name) => name.endsWith('.md')).sort()
      const edited = path.join(source, chapters[1]!)
      await writeFile(edited, `${await readFile(edited, 'utf8')}\nOne more sentence.\n`)
      const warm = await run('warm', true)
      const second = (await readdir(parses)).sort()
      expect(second.length).toBe(first.length)
      expect(second.filter((name) => !first.includes(name))).toHaveLength(1)

      const fresh = await run('fresh', false)
      expect(warm.messages).toEqual(fresh.messages)
      expect(await readSite(path.join(dir, 'warm'))).toEqual(await readSite(path.join(dir, 'fresh')))
    }
  }, 120_000)
})


describe('the build key', () => {
  const file = (p: string, text: string) => ({ path: p, display: `content/${p}`, text })
  const sources = (overrides: Partial<ProjectSources> = {}): ProjectSources => ({
    report: file('report.yml', 'title: R\n'),
    participants: undefined,
    markdown: [file('index.md', '# Home\n'), file('a.md', '# A\n')],
    assets: [{ path: 'chart.png', display: 'content/chart.png' }],
    resources: [file('references.bib', '@book{a, title={A}}\n')],
    outsideLinks: [],
    messages: [],
    ...overrides,
  })
  const key = (overrides: Partial<KeyInput> = {}) =>
    buildKey({ generator: 'g1', sources: sources(), templates: new Map([['base.liquid', 'B'], ['chapter.liquid', 'C']]), files: [], settings: {}, ...overrides })

  it('is the same for the same inputs, whatever order the templates were read in', () => {
    expect(key()).toBe(key())
    expect(key({ templates: new Map([['chapter.liquid', 'C'], ['base.liquid', 'B']]) })).toBe(key())
  })

  it('changes with every input a site depends on', () => {
    const changed = {
      generator: key({ generator: 'g2' }),
      settings: key({ settings: { pdf: true } }),
      template: key({ templates: new Map([['base.liquid', 'B2'], ['chapter.liquid', 'C']]) }),
      chapter: key({ sources: sources({ markdown: [file('index.md', '# Home\n'), file('a.md', '# A!\n')] }) }),
      bibliography: key({ sources: sources({ resources: [file('references.bib', '@book{a, title={B}}\n')] }) }),
      // A new content file can make a broken image work, though no text changed.
      contentFiles: key({ sources: sources({ assets: [] }) }),
      outsideLinks: key({ sources: sources({ outsideLinks: ['leak.png'] }) }),
      stamps: key({ files: [{ path: 'chart.png', size: 10, modified: 1 }] }),
      repository: key({ sources: sources({ repositoryPath: 'content' }) }),
    }
    const all = [key(), ...Object.values(changed)]
    expect(new Set(all).size).toBe(all.length)
  })

  it('keeps the boundaries between inputs: text moved from one field to the next is a change', () => {
    const dated = (updated: string, text: string) => key({ sources: sources({ markdown: [{ ...file('index.md', text), updated }] }) })
    expect(dated('2024-01-01', '# A\n')).not.toBe(dated('2024-01-0', '1# A\n'))
    // No repository (no edit links) is not the content folder at the repository's root (edit links to the root).
    expect(key({ sources: sources({ repositoryPath: '' }) })).not.toBe(key({ sources: sources() }))
  })

  it('is the same whether a list the loader may leave out is missing or empty', () => {
    const empty = sources({ assets: [], resources: [], outsideLinks: [] })
    const { assets, resources, outsideLinks, ...missing } = empty
    // Both describe a project with no such files: a cache written for one is used for the other.
    expect(key({ sources: missing })).toBe(key({ sources: empty }))
  })

  it('gives each chapter\'s parse a key of its generator, path, name and text', () => {
    const base = parseKey('g1', file('a.md', '# A\n'))
    expect(parseKey('g1', file('a.md', '# A\n'))).toBe(base)
    const others = [
      parseKey('g2', file('a.md', '# A\n')),
      parseKey('g1', file('b.md', '# A\n')),
      parseKey('g1', { ...file('a.md', '# A\n'), display: 'report/a.md' }),
      parseKey('g1', file('a.md', '# B\n')),
    ]
    expect(new Set([base, ...others]).size).toBe(5)
    // Not the hash of the text alone: the same text in another file is parsed into another file's tree.
    expect(base).not.toBe(createHash('sha256').update('# A\n').digest('hex'))
  })

  it('takes the generator as it is without plugins, and with plugins a hash of it and of each plugin\'s place, name, version and options', () => {
    const plugin = { phase: 'rehype', name: 'rehype-external-links', version: '3.0.0', options: { target: '_blank' } }
    expect(withPlugins('g1', [])).toBe('g1')
    const base = withPlugins('g1', [plugin])
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(withPlugins('g1', [{ ...plugin }])).toBe(base)
    const others = [
      'g1',
      withPlugins('g2', [plugin]),
      withPlugins('g1', [{ ...plugin, phase: 'remark' }]),
      withPlugins('g1', [{ ...plugin, name: 'rehype-other' }]),
      withPlugins('g1', [{ ...plugin, version: '3.0.1' }]),
      withPlugins('g1', [{ ...plugin, options: { target: '_self' } }]),
      withPlugins('g1', [plugin, plugin]),
    ]
    expect(new Set([base, ...others]).size).toBe(8)
  })
})
