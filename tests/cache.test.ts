// The build cache is never stale: a build with nothing changed does nothing,
// and after a change the site is exactly what a build without the cache makes,
// with exactly the pages the change affects differing from before. Most edits
// here reach pages other than the one edited (numbers, titles, labels, consent,
// templates, plugins, the contents), since those are the pages a cache that
// redoes only some of the work could leave stale.

import { createHash } from 'node:crypto'
import { cp, mkdir, readFile, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fromHtml } from 'hast-util-from-html'
import { select } from 'hast-util-select'
import { describe, expect, it } from 'vitest'
import { generateCorpus, writeCorpus } from '../bench/corpus.js'
import { build } from '../src/build.js'
import { buildKey, parseKey, withPlugins, type KeyInput } from '../src/cache/key.js'
import { allEntries } from '../src/cache/packs.js'
import type { ProjectSources } from '../src/load/files.js'
import type { Message } from '../src/messages.js'
import { changedPages, readSite, repoRoot, siteDifference, tempDir, writeFiles } from './helpers.js'

const report = {
  'report.yml': 'title: Review times\ntoc:\n  - file: a.md\n  - file: b.md\n  - file: c.md\n  - file: recs.md\n',
  'participants.yml':
    'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n  - id: P02\n    role: Deployer\n    consent: anonymous\n',
  'a.md': '# Reviews\n\n:::finding{#f-slow}\n## Reviews are slow\n\nPull requests wait.\n\n> We wait for weeks.\n> — P01 (paraphrased)\n:::\n',
  'b.md': '# Deployments\n\nAs [](#f-slow) shows, people wait.\n\n:::finding{#f-quiet}\n## Deployers are quiet\n\nThey rarely post.\n\n> I read, I do not write.\n> — P02 (paraphrased)\n:::\n',
  'c.md': '# Background\n\nNothing here refers to anything.\n',
  'recs.md': '# Ways forward\n\n:::recommendation{#r-triage addresses="f-slow f-quiet"}\n## Triage weekly\n\nMeet once a week.\n:::\n',
}

/**
 * A report whose pages lean on one another: findings referred to from other chapters and addressed by
 * recommendations, a heading referred to from two pages, a chapter linked by its title, quotes of a
 * named and of anonymous participants, and chapters in a part, so that each edit below reaches pages
 * other than the one edited.
 */
const themes = {
  'report.yml': [
    'title: Review times',
    'toc:',
    '  - file: index.md',
    '  - file: methods.md',
    '  - title: Themes',
    '    children:',
    '      - file: themes/reviews.md',
    '      - file: themes/deploy.md',
    '  - file: background.md',
    '  - file: recs.md',
    '',
  ].join('\n'),
  'participants.yml': [
    'participants:',
    '  - id: P01',
    '    role: Maintainer',
    '    consent: named',
    '    name: Ada Example',
    '  - id: P02',
    '    role: Deployer',
    '    consent: anonymous',
    '  - id: P03',
    '    role: Newcomer',
    '    consent: anonymous',
    '',
  ].join('\n'),
  'index.md': '# Review times\n\nWe asked why reviews wait; [](#f-lost) is the heart of it, and [how we chose people](methods.md#sampling) matters.\n',
  'methods.md': '# Methods\n\n## Sampling\n\nWe spoke to three people.\n\n## Analysis\n\nWe read the transcripts twice.\n',
  'themes/reviews.md': [
    '# Reviews',
    '',
    ':::finding{#f-slow}',
    '## Reviews are slow',
    '',
    'Pull requests wait.',
    '',
    '> We wait for weeks.',
    '> — P01',
    ':::',
    '',
    ':::finding{#f-lost}',
    '## Newcomers give up',
    '',
    'They leave before a review comes.',
    '',
    '> I stopped sending patches.',
    '> — P03 (paraphrased)',
    ':::',
    '',
  ].join('\n'),
  'themes/deploy.md': [
    '# Deployments',
    '',
    'As [](#f-lost) shows, and [](#f-slow "short") too, people wait; see [](#sampling).',
    '',
    ':::finding{#f-quiet}',
    '## Deployers are quiet',
    '',
    'They rarely post.',
    '',
    '> I read, I do not write.',
    '> — P02 (paraphrased)',
    ':::',
    '',
  ].join('\n'),
  'background.md': '---\nshort_title: Background\n---\n\n# Background\n\nReviews have always been slow here.\n\nSee [the deployments](themes/deploy.md).\n',
  'recs.md': [
    '# Ways forward',
    '',
    ':::recommendation{#r-triage addresses="f-lost f-quiet"}',
    '## Triage weekly',
    '',
    'Meet once a week, starting with [](#f-lost "short"); [](background.md) says why.',
    ':::',
    '',
    ':::recommendation{#r-rota addresses="f-slow"}',
    '## Share reviewing',
    '',
    'A rota spreads the load.',
    ':::',
    '',
  ].join('\n'),
}

/**
 * The pages of `themes` that show the findings' numbers or titles: the generated pages, the full
 * report, the landing page (which refers to one), the chapters that define or refer to them, and
 * the recommendations. Methods and Background show none.
 */
const showFindings = [
  'evidence/index.html',
  'findings/index.html',
  'full-report/index.html',
  'index.html',
  'participants/index.html',
  'recommendations/index.html',
  'recs/index.html',
  'themes/deploy/index.html',
  'themes/reviews/index.html',
]

/** Messages of one severity, each as its file in the content folder and its rule. */
function problems(content: string, messages: readonly Message[], severity: Message['severity'] = 'error'): string[] {
  return messages.filter((m) => m.severity === severity).map((m) => `${path.relative(content, path.resolve(m.file))} ${m.ruleId}`)
}

/** Where a page's pager leads, back and on. */
function pager(html: Buffer | undefined): { prev: unknown; next: unknown } {
  const tree = fromHtml(String(html))
  const href = (rel: string) => select(`.pager a[rel=${rel}]`, tree)?.properties['href']
  return { prev: href('prev'), next: href('next') }
}


/** A project with its own templates and cache, and a reference build without any cache. */
async function project(files: Record<string, string> = report) {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const templates = path.join(dir, 'templates')
  const cache = path.join(dir, 'cache')
  const dist = path.join(dir, 'dist')
  const fresh = path.join(dir, 'fresh')
  await writeFiles(content, files)
  await cp(path.join(repoRoot, 'templates'), templates, { recursive: true })
  // One thread unless a case asks for more: with worker threads, each thread reads and writes the page cache itself.
  const run = (options: { cache?: false; out?: string; threads?: number } = {}) =>
    build({ contentDir: content, templatesDir: templates, outDir: options.out ?? dist, cache: options.cache ?? cache, threads: options.threads ?? 1 })
  /** Build with the cache, check it against a build without one, and list the pages that differ from the last build. */
  const rebuild = async (options: { threads?: number } = {}) => {
    const before = await readSite(dist)
    const result = await run(options)
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(result.written).toBe(true)
    const after = await readSite(dist)
    const uncached = await run({ cache: false, out: fresh })
    expect(uncached.written).toBe(true)
    expect(result.messages).toEqual(uncached.messages)
    expect(await siteDifference(after, fresh)).toBeUndefined()
    return { result, changed: changedPages(before, after), before, after }
  }
  /** Build with the cache a report that has errors, and check that a build without it reports the same and that neither writes. */
  const rebuildFailing = async () => {
    const site = await readSite(dist)
    const result = await run()
    expect(result.written).toBe(false)
    const uncached = await run({ cache: false, out: fresh })
    expect(uncached.written).toBe(false)
    expect(result.messages).toEqual(uncached.messages)
    expect(await siteDifference(dist, site)).toBeUndefined()
    return result.messages
  }
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(file, 'utf8')
    expect(text).toContain(from)
    await writeFile(file, text.replace(from, to))
  }
  /** Build with the cache, and check that the site is the one a build without it makes. */
  const start = async () => {
    const first = await run()
    expect(first.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(first.written).toBe(true)
    expect(await run({ cache: false, out: fresh })).toMatchObject({ written: true })
    expect(await siteDifference(dist, fresh)).toBeUndefined()
    return first
  }
  return { dir, content, templates, cache, dist, run, rebuild, rebuildFailing, edit, start }
}

describe('the build cache', () => {
  it('does nothing when nothing changed, and leaves the site in place', async () => {
    const p = await project()
    expect((await p.run()).written).toBe(true)
    const site = await readlink(path.join(p.dir, 'dist'))
    // What killed builds left beside the site is removed all the same, but for one spare for the next build.
    await mkdir(path.join(p.dir, '.dist-new-1-killed'))
    await mkdir(path.join(p.dir, '.dist-new-2-killed'))
    const again = await p.run()
    expect(again.unchanged).toBe(true)
    expect((await readdir(p.dir)).filter((name) => name.startsWith('.dist-')).sort()).toEqual(['.dist-new-2-killed', site].sort())
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
      const first = [...allEntries(parses).keys()].sort()
      expect(first.length).toBeGreaterThan(10)

      // Edit one chapter: only its parse is new, the others are read back.
      const chapters = (await readdir(source, { recursive: true })).map(String).filter((name) => name.endsWith('.md')).sort()
      const edited = path.join(source, chapters[1]!)
      await writeFile(edited, `${await readFile(edited, 'utf8')}\nOne more sentence.\n`)
      const warm = await run('warm', true)
      // (The edited chapter's old parse goes when its pack is merged: packs.test.ts.)
      const second = [...allEntries(parses).keys()].sort()
      expect(second).toEqual(expect.arrayContaining(first))
      expect(second.filter((name) => !first.includes(name))).toHaveLength(1)

      const fresh = await run('fresh', false)
      expect(warm.messages).toEqual(fresh.messages)
      expect(await siteDifference(path.join(dir, 'warm'), path.join(dir, 'fresh'))).toBeUndefined()
    }
  }, 120_000)
})

describe('the build cache after an edit that reaches other pages', () => {
  const allPages = (site: Map<string, Buffer>) => [...site.keys()].filter((name) => name.endsWith('.html')).sort()

  it('renumbers the findings after one inserted before them, on every page that shows their numbers', async () => {
    const p = await project(themes)
    await p.start()
    const finding = ':::finding{#f-new}\n## Reviewers are few\n\nFew people review.\n\n> Two of us review everything.\n> — P01\n:::\n\n'
    await p.edit(path.join(p.content, 'themes/reviews.md'), ':::finding{#f-slow}', `${finding}:::finding{#f-slow}`)
    await p.edit(path.join(p.content, 'recs.md'), 'addresses="f-slow"', 'addresses="f-slow f-new"')
    // Background's link to Deployments has text of its own, so it does not show the numbers.
    expect((await p.rebuild()).changed).toEqual(showFindings)

    // Moved to the end of its theme: the numbers shift back, while the report's counts, which every page shares, stay.
    const reviews = path.join(p.content, 'themes/reviews.md')
    await p.edit(reviews, finding, '')
    await writeFile(reviews, `${await readFile(reviews, 'utf8')}\n${finding}`)
    expect((await p.rebuild()).changed).toEqual(showFindings)
  }, 60_000)

  it('renumbers the same way when worker threads render the pages', async () => {
    const p = await project(themes)
    expect((await p.run({ threads: 2 })).written).toBe(true)
    // The two findings of Reviews change places.
    const reviews = path.join(p.content, 'themes/reviews.md')
    const [title, slow, lost] = (await readFile(reviews, 'utf8')).split(/\n(?=:::finding)/)
    await writeFile(reviews, [title, lost!.trimEnd(), `${slow!.trimEnd()}\n`].join('\n\n'))
    const { changed } = await p.rebuild({ threads: 2 })
    expect(changed).toEqual(showFindings)
  }, 60_000)

  it("shows a referenced finding's new title in the chapters that refer to it and the recommendation that addresses it", async () => {
    const p = await project(themes)
    await p.start()
    await p.edit(path.join(p.content, 'themes/reviews.md'), '## Newcomers give up', '## Newcomers leave quietly')
    const { changed, after } = await p.rebuild()
    expect(changed).toEqual(showFindings)
    for (const page of ['index.html', 'themes/deploy/index.html', 'recs/index.html']) expect(after.get(page)!.toString()).toContain('Newcomers leave quietly')
  }, 60_000)

  it('drops a recommendation from the findings it no longer addresses, with the warnings a build without the cache gives', async () => {
    const p = await project(themes)
    await p.start()
    await p.edit(path.join(p.content, 'recs.md'), '{#r-rota addresses="f-slow"}', '{#r-rota}')
    const { result, changed, after } = await p.rebuild()
    // The warnings stand at the finding, in a chapter that was not edited, and at the recommendation.
    expect(problems(p.content, result.messages, 'warning')).toEqual(['recs.md recommendation-addresses-something', 'themes/reviews.md finding-addressed'])
    expect(changed).toEqual([
      'evidence/index.html',
      'findings/index.html',
      'full-report/index.html',
      'recommendations/index.html',
      'recs/index.html',
      'themes/reviews/index.html',
    ])
    expect(after.get('themes/reviews/index.html')!.toString()).toContain('No recommendation addresses this finding yet.')
  }, 60_000)

  it('names a chapter by the title its contents entry gives it, on its page and wherever a link shows that title', async () => {
    const p = await project(themes)
    await p.start()
    // The navigation and the pager show the short title, which stays: only the chapter's own title changes.
    await p.edit(path.join(p.content, 'report.yml'), '  - file: background.md\n', '  - file: background.md\n    title: Why reviews wait\n')
    const { changed, after } = await p.rebuild()
    expect(changed).toEqual(['background/index.html', 'full-report/index.html', 'recs/index.html'])
    expect(after.get('recs/index.html')!.toString()).toContain('Why reviews wait')
  }, 60_000)

  it('reports a deleted heading that other chapters refer to as a build without the cache does, and builds the same site once it is back', async () => {
    const p = await project(themes)
    await p.start()
    const methods = path.join(p.content, 'methods.md')
    const original = await readFile(methods, 'utf8')
    const { atime, mtime } = await stat(methods)
    await p.edit(methods, '## Sampling\n\n', '')
    expect(problems(p.content, await p.rebuildFailing())).toEqual(['index.md link-target-exists', 'themes/deploy.md reference-target-exists'])

    // Put back as it was, to its modification time (a chapter's date, outside git): the site the output folder holds is this very one.
    await writeFile(methods, original)
    await utimes(methods, atime, mtime)
    const back = await p.rebuild()
    expect(back.result.unchanged).toBe(true)
    expect(back.changed).toEqual([])

    // Deleted again, then put back with other words beside it: built, from what the failed build left in the cache.
    await p.edit(methods, '## Sampling\n\n', '')
    await p.rebuildFailing()
    await writeFile(methods, original.replace('three people', 'three maintainers'))
    const { changed } = await p.rebuild()
    expect(changed).toEqual(['full-report/index.html', 'methods/index.html'])
  }, 60_000)

  it('quotes a participant as their new consent allows, and reports quotes it no longer allows as a build without the cache does', async () => {
    const p = await project(themes)
    await p.start()
    const participants = path.join(p.content, 'participants.yml')
    await p.edit(participants, '    consent: named\n    name: Ada Example\n', '    consent: anonymous\n')
    const { changed, after } = await p.rebuild()
    expect(changed).toEqual(['full-report/index.html', 'participants/index.html', 'themes/reviews/index.html'])
    expect(after.get('themes/reviews/index.html')!.toString()).not.toContain('Ada Example')

    await p.edit(participants, 'role: Deployer\n    consent: anonymous', 'role: Deployer\n    consent: no-quotes')
    const messages = await p.rebuildFailing()
    expect(problems(p.content, messages)).toEqual(['themes/deploy.md quote-consent-allows'])
  }, 60_000)

  it('applies a template override from the content folder when it is added, changed and removed', async () => {
    const p = await project(themes)
    await p.start()
    const overrides = path.join(p.content, 'templates')
    const footer = (words: string) => `<footer class="site-footer"><p><a href="{{ page.root }}">{{ site.title }}</a> · ${words}</p></footer>\n`
    await writeFiles(overrides, { 'footer.liquid': footer('Published by the lab') })
    const added = await p.rebuild()
    expect(added.changed).toEqual(allPages(added.before))

    await writeFiles(overrides, { 'footer.liquid': footer('Published by the review lab') })
    const changed = await p.rebuild()
    expect(changed.changed).toEqual(allPages(changed.before))
    expect(changed.after.get('themes/deploy/index.html')!.toString()).toContain('Published by the review lab')

    // A partial that only pages with a chapter's text show.
    const pager = await readFile(path.join(p.templates, 'pager.liquid'), 'utf8')
    await writeFiles(overrides, { 'pager.liquid': pager.replace('<nav', '<nav data-override="pager"') })
    const paged = await p.rebuild()
    expect(paged.changed).toEqual(['background/index.html', 'index.html', 'methods/index.html', 'recs/index.html', 'themes/deploy/index.html', 'themes/reviews/index.html'])

    await rm(overrides, { recursive: true })
    const removed = await p.rebuild()
    expect(removed.changed).toEqual(allPages(removed.before))
  }, 60_000)

  it("renders every chapter again when an option of one of the report's plugins changes", async () => {
    const p = await project({
      ...themes,
      'report.yml': `${themes['report.yml']}plugins:\n  remark:\n    - [./plugins/note.mjs, { word: first }]\n  rehype:\n    - [./plugins/sign.mjs, { by: Ada }]\n`,
    })
    await writeFiles(p.dir, {
      'package.json': '{ "name": "a-report", "private": true, "type": "module" }\n',
      // A remark plugin changes the parse; a rehype plugin only the rendering.
      'plugins/note.mjs': "export default function note(options) { return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Noted: ' + options.word }] }) } }\n",
      'plugins/sign.mjs':
        "export default function sign(options) { return (tree) => { tree.children.push({ type: 'element', tagName: 'p', properties: { className: ['signed'] }, children: [{ type: 'text', value: 'Signed: ' + options.by }] }) } }\n",
    })
    await p.start()
    const chapters = ['full-report/index.html', 'index.html', 'methods/index.html', 'recs/index.html', 'background/index.html', 'themes/deploy/index.html', 'themes/reviews/index.html'].sort()

    await p.edit(path.join(p.content, 'report.yml'), '{ by: Ada }', '{ by: Grace }')
    const signed = await p.rebuild()
    expect(signed.changed).toEqual(chapters)
    expect(signed.after.get('methods/index.html')!.toString()).toContain('Signed: Grace')

    await p.edit(path.join(p.content, 'report.yml'), '{ word: first }', '{ word: second }')
    const noted = await p.rebuild()
    expect(noted.changed).toEqual(chapters)
    expect(noted.after.get('methods/index.html')!.toString()).toContain('Noted: second')
  }, 60_000)

  it('follows a chapter moved in the contents, and reports a deleted chapter that others refer to as a build without the cache does', async () => {
    const p = await project(themes)
    const { pages } = await p.start()
    const config = path.join(p.content, 'report.yml')
    // Deployments before Reviews: every finding is renumbered, and every page's contents and pager change.
    await p.edit(config, '      - file: themes/reviews.md\n      - file: themes/deploy.md\n', '      - file: themes/deploy.md\n      - file: themes/reviews.md\n')
    const moved = await p.rebuild()
    expect(moved.changed).toEqual(pages)
    expect(pager(moved.before.get('background/index.html'))).toEqual({ prev: '../themes/deploy/', next: '../recs/' })
    expect(pager(moved.after.get('background/index.html'))).toEqual({ prev: '../themes/reviews/', next: '../recs/' })

    // Out of the part, to the end.
    await p.edit(config, '      - file: themes/reviews.md\n  - file: background.md\n  - file: recs.md\n', '      - file: themes/reviews.md\n  - file: recs.md\n  - file: background.md\n')
    const last = await p.rebuild()
    expect(last.changed).toEqual(pages)
    expect(pager(last.after.get('background/index.html'))).toEqual({ prev: '../recs/', next: undefined })

    // Methods deleted, while the contents still lists it and two chapters refer to its heading.
    await rm(path.join(p.content, 'methods.md'))
    expect(problems(p.content, await p.rebuildFailing())).toEqual(['index.md link-target-exists', 'report.yml toc-file-exists', 'themes/deploy.md reference-target-exists'])
    await p.edit(config, '  - file: methods.md\n', '')
    expect(problems(p.content, await p.rebuildFailing())).toEqual(['index.md link-target-exists', 'themes/deploy.md reference-target-exists'])
    await p.edit(path.join(p.content, 'index.md'), ', and [how we chose people](methods.md#sampling) matters', '')
    await p.edit(path.join(p.content, 'themes/deploy.md'), '; see [](#sampling)', '')
    const deleted = await p.rebuild()
    expect(deleted.after.has('methods/index.html')).toBe(false)
    expect(deleted.changed).toEqual(pages.filter((page) => page !== 'methods/index.html'))
  }, 60_000)

  it('changes only the edited chapter, the full report and the search index when only body text changes', async () => {
    const p = await project(themes)
    await p.start()
    await p.edit(path.join(p.content, 'background.md'), 'always been slow here', 'always been slow in this project')
    const background = await p.rebuild()
    expect(background.changed).toEqual(['background/index.html', 'full-report/index.html'])
    const searchIndex = (site: Map<string, Buffer>) => [...site].filter(([name]) => name.startsWith('pagefind/')).map(([name, bytes]) => `${name} ${bytes.length}`)
    expect(searchIndex(background.after)).not.toEqual(searchIndex(background.before))

    // Text outside the findings of a chapter that has them.
    await p.edit(path.join(p.content, 'themes/deploy.md'), 'people wait', 'people keep waiting')
    expect((await p.rebuild()).changed).toEqual(['full-report/index.html', 'themes/deploy/index.html'])
  }, 60_000)
})

describe('the build cache after an edit to the labels of a MyST project', () => {
  const book = {
    'myst.yml': 'version: 1\nproject:\n  title: Waiting\n  toc:\n    - file: index.md\n    - file: charts.md\n    - file: notes.md\n',
    'index.md': '# Waiting\n\nThe main chart is [](#fig-waits).\n',
    'charts.md': '# Charts\n\n```{figure} waits.png\n:label: fig-waits\n:alt: Waits by month\n\nReview waits by month.\n```\n',
    'notes.md': '# Notes\n\nAs [](#fig-waits) shows, waits grew.\n',
    'waits.png': 'not really a picture',
    'sizes.png': 'not really one either',
  }

  it('renumbers a figure that other pages refer to, and shows a reference to a deleted label as text, as a build without the cache does', async () => {
    const p = await project(book)
    await p.start()
    const charts = path.join(p.content, 'charts.md')
    await p.edit(charts, '```{figure} waits.png', '```{figure} sizes.png\n:alt: Sizes\n\nPull request sizes.\n```\n\n```{figure} waits.png')
    const renumbered = await p.rebuild()
    expect(renumbered.changed).toEqual(['charts/index.html', 'full-report/index.html', 'index.html', 'notes/index.html'])
    expect(renumbered.after.get('notes/index.html')!.toString()).toContain('Figure 2')

    // A reference that finds nothing is a warning in a MyST project, so the site is still written.
    await p.edit(charts, ':label: fig-waits\n', '')
    const unlabelled = await p.rebuild()
    expect(problems(p.content, unlabelled.result.messages, 'warning')).toEqual(['index.md reference-target-exists', 'notes.md reference-target-exists'])
    expect(unlabelled.changed).toEqual(['charts/index.html', 'full-report/index.html', 'index.html', 'notes/index.html'])

    await p.edit(charts, ':alt: Waits by month\n', ':label: fig-waits\n:alt: Waits by month\n')
    expect((await p.rebuild()).changed).toEqual(['charts/index.html', 'full-report/index.html', 'index.html', 'notes/index.html'])
  }, 60_000)
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
