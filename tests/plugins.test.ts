// The report's own remark and rehype plugins: real published ones reach the
// pages in one thread and in two; what a plugin adds still passes the
// sanitizer; a plugin that is missing, inside the content folder, broken or
// throwing is an error at its entry in report.yml; and a plugin's options are
// part of the cache keys.

import { mkdir, readFile, symlink } from 'node:fs/promises'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { select, selectAll } from 'hast-util-select'
import { toString } from 'hast-util-to-string'
import { describe, expect, it } from 'vitest'
import { build, type BuildOptions } from '../src/build.js'
import { readMystConfig } from '../src/config/myst.js'
import { BuildSession } from '../src/dev/session.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const fixture = path.join(repoRoot, 'tests', 'fixtures', 'plugins', 'content')

async function page(out: string, file: string): Promise<Root> {
  return fromHtml(await readFile(path.join(out, file), 'utf8'))
}

/** A project folder with a package.json, a content folder and files beside it (plugins of its own). */
async function project(files: Record<string, string>) {
  const dir = await tempDir()
  await writeFiles(dir, { 'package.json': '{ "name": "a-report", "private": true, "type": "module" }\n', ...files })
  const run = (options: BuildOptions = {}) => build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), cache: false, ...options })
  return { dir, out: path.join(dir, 'dist'), run }
}

const chapter = '---\ntitle: Voices\n---\n\nA paragraph that says boom when asked.\n'

function reportWith(plugins: string): string {
  return `title: A report\nplugins:\n${plugins}`
}

describe('published plugins named in report.yml', () => {
  for (const threads of [1, 2]) {
    it(`give curly quotes and rel and target on external links, with ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      const out = path.join(await tempDir(), 'dist')
      const result = await build({ contentDir: fixture, outDir: out, threads, cache: false })
      expect(result.messages).toEqual([])
      expect(result.written).toBe(true)
      const voices = await page(out, 'voices/index.html')
      const text = toString(select('main', voices)!)
      expect(text).toContain('“It felt like home,” one maintainer said — and the project’s guide agreed.')
      const external = select('main a[href="https://example.org/guide"]', voices)!
      expect(external.properties['rel']).toEqual(['noopener', 'noreferrer'])
      expect(external.properties['target']).toBe('_blank')
      // A link inside the site is left as it was.
      const internal = selectAll('main a', voices).find((a) => toString(a) === 'landing page')!
      expect(internal.properties['target']).toBeUndefined()
      expect(internal.properties['rel']).toBeUndefined()
    })
  }
})

describe('the dev server', () => {
  it('runs the plugins named in report.yml too', async () => {
    const session = new BuildSession({ contentDir: fixture })
    const update = await session.rebuild()
    expect(update.messages).toEqual([])
    const voices = fromHtml(session.site!.files.get('voices/index.html')!)
    expect(toString(select('main', voices)!)).toContain('“It felt like home,”')
    expect(select('main a[href="https://example.org/guide"]', voices)!.properties['target']).toBe('_blank')
  })
})

describe('what a plugin adds', () => {
  it('passes the sanitizer: a script and an onclick added by a rehype plugin are not published', async () => {
    const { out, run } = await project({
      'plugins/unsafe.js': `export default function unsafe() {
  return (tree) => {
    const visit = (node) => {
      if (node.type === 'element' && node.tagName === 'p') node.properties.onClick = 'alert(1)'
      for (const child of node.children ?? []) visit(child)
    }
    visit(tree)
    tree.children.push({ type: 'element', tagName: 'script', properties: {}, children: [{ type: 'text', value: 'alert(2)' }] })
    tree.children.push({ type: 'element', tagName: 'p', properties: { className: ['added'] }, children: [{ type: 'text', value: 'Added by the plugin.' }] })
  }
}
`,
      'content/report.yml': reportWith('  rehype:\n    - ./plugins/unsafe.js\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages.filter((m) => m.severity !== 'info')).toEqual([])
    const voices = await page(out, 'voices/index.html')
    // The plugin ran: its harmless paragraph is there.
    expect(toString(select('main p.added', voices)!)).toBe('Added by the plugin.')
    expect(selectAll('script', voices).filter((s) => toString(s).includes('alert'))).toEqual([])
    expect(selectAll('[onclick]', voices)).toEqual([])
    expect(await readFile(path.join(out, 'voices', 'index.html'), 'utf8')).not.toContain('alert(')
  })
})

describe('a plugin that cannot run', () => {
  it('is refused when its file lies inside the content folder, at its entry in report.yml, and nothing is written', async () => {
    const { out, run } = await project({
      'content/plugins/local.js': 'export default function local() {}\n',
      'content/report.yml': reportWith('  remark:\n    - ./content/plugins/local.js\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    const refused = result.messages.filter((m) => m.ruleId === 'plugin-outside-content')
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({ severity: 'error', line: 4, column: 7 })
    expect(refused[0]!.file.endsWith(path.join('content', 'report.yml'))).toBe(true)
    expect(refused[0]!.reason).toContain('inside the content folder')
    expect(refused[0]!.hint).toContain('Move the file out of the content folder')
    expect(result.written).toBe(false)
    await expect(readFile(path.join(out, 'voices', 'index.html'))).rejects.toThrow()
  })

  it('is refused inside the content folder even when a symbolic link outside points to it', async () => {
    const { dir, run } = await project({
      'content/plugins/local.js': 'export default function local() {}\n',
      'content/report.yml': reportWith('  remark:\n    - ./plugins/link.js\n'),
      'content/voices.md': chapter,
    })
    await mkdir(path.join(dir, 'plugins'))
    await symlink(path.join(dir, 'content', 'plugins', 'local.js'), path.join(dir, 'plugins', 'link.js'))
    const result = await run()
    expect(result.messages.map((m) => m.ruleId)).toContain('plugin-outside-content')
    expect(result.written).toBe(false)
  })

  it('that is not installed gets plugin-found at its entry, with how to install it', async () => {
    const { run } = await project({
      'content/report.yml': reportWith('  remark:\n    - remark-no-such-plugin-here\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages).toContainEqual(
      expect.objectContaining({ ruleId: 'plugin-found', severity: 'error', line: 4, column: 7, hint: expect.stringContaining('npm install --save-dev remark-no-such-plugin-here') }),
    )
    expect(result.written).toBe(false)
  })

  it('that is installed but not one of the project\'s dependencies gets plugin-found, and nothing of it runs', async () => {
    // Installed underneath, as a dependency's dependency would be: report.yml alone must not choose to run it.
    const { dir, run } = await project({
      'node_modules/side-effect/package.json': '{ "name": "side-effect", "type": "module", "main": "index.js" }\n',
      'node_modules/side-effect/index.js': "import { writeFileSync } from 'node:fs'\nwriteFileSync(new URL('../../ran.txt', import.meta.url), 'ran')\nexport default () => () => {}\n",
      'content/report.yml': reportWith('  remark:\n    - side-effect\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages).toContainEqual(
      expect.objectContaining({ ruleId: 'plugin-found', severity: 'error', line: 4, column: 7, hint: expect.stringContaining('npm install --save-dev side-effect') }),
    )
    expect(result.written).toBe(false)
    await expect(readFile(path.join(dir, 'ran.txt'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('whose module does not export a function gets plugin-loads, in one thread and in two', async () => {
    const { run } = await project({
      'plugins/nothing.js': 'export const notAPlugin = 1\n',
      'content/report.yml': reportWith('  rehype:\n    - ./plugins/nothing.js\n'),
      'content/voices.md': chapter,
    })
    for (const threads of [1, 2]) {
      const result = await run({ threads })
      expect(result.messages).toContainEqual(expect.objectContaining({ ruleId: 'plugin-loads', line: 4, reason: expect.stringContaining('does not export a unified plugin') }))
      expect(result.messages.some((m) => m.ruleId === 'internal-error')).toBe(false)
      expect(result.written).toBe(false)
    }
  })

  it('that throws on a chapter gets plugin-runs naming the plugin and the chapter, in one thread and in two', async () => {
    const { run } = await project({
      'plugins/boom.js': `export default function boom(options) {
  return (tree) => {
    if (JSON.stringify(tree).includes(options.word)) throw new Error('found the word ' + options.word)
  }
}
`,
      'content/report.yml': reportWith('  remark:\n    - [./plugins/boom.js, { word: boom }]\n'),
      'content/voices.md': chapter,
      'content/calm.md': '---\ntitle: Calm\n---\n\nNothing to see.\n',
    })
    for (const threads of [1, 2]) {
      const result = await run({ threads })
      const runs = result.messages.filter((m) => m.ruleId === 'plugin-runs')
      expect(runs).toHaveLength(1)
      expect(runs[0]).toMatchObject({ severity: 'error', line: 4, column: 7 })
      expect(runs[0]!.reason).toContain('`./plugins/boom.js`')
      expect(runs[0]!.reason).toContain('voices.md')
      expect(runs[0]!.reason).toContain('found the word boom')
      expect(result.messages.some((m) => m.ruleId === 'internal-error')).toBe(false)
      expect(result.written).toBe(false)
    }
  })

  it('that works asynchronously gets plugin-runs saying plugins must finish synchronously', async () => {
    const { run } = await project({
      'plugins/later.js': 'export default function later() { return async (tree) => tree }\n',
      'content/report.yml': reportWith('  rehype:\n    - ./plugins/later.js\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages).toContainEqual(expect.objectContaining({ ruleId: 'plugin-runs', line: 4, reason: expect.stringContaining('must finish synchronously') }))
    expect(result.written).toBe(false)
  })

  it('that refuses its options is reported once, when it is set up', async () => {
    const { run } = await project({
      'plugins/picky.js': `export default function picky(options) {
  if (options?.level !== 1) throw new Error('level must be 1')
}
`,
      'content/report.yml': reportWith('  rehype:\n    - [./plugins/picky.js, { level: 2 }]\n'),
      'content/voices.md': chapter,
      'content/calm.md': '---\ntitle: Calm\n---\n\nNothing to see.\n',
    })
    const result = await run()
    const runs = result.messages.filter((m) => m.ruleId === 'plugin-runs')
    expect(runs).toHaveLength(1)
    expect(runs[0]!.reason).toContain('while it was set up: level must be 1')
  })
})

describe('the plugins block of report.yml', () => {
  it('is read in YAML\'s flow style too', async () => {
    const { out, run } = await project({
      'plugins/sign.js': "export default function sign(options) { return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Signed: ' + options.by }] }) } }\n",
      'content/report.yml': '{ title: A report, plugins: { remark: [[./plugins/sign.js, { by: Flow }]] } }\n',
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(toString(select('main', await page(out, 'voices/index.html'))!)).toContain('Signed: Flow')
  })

  it('rejects an entry whose options are not a mapping, and a kind of plugin it does not know, at their lines', async () => {
    const { run } = await project({
      'content/report.yml': reportWith('  remark:\n    - [remark-smartypants, quotes]\n  rehipe:\n    - rehype-external-links\n'),
      'content/voices.md': chapter,
    })
    const result = await run()
    expect(result.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(expect.arrayContaining(['4 value-type-valid', '5 config-key-known']))
    expect(result.written).toBe(false)
  })
})

describe('plugins and the build cache', () => {
  it('builds again with the new effect when a plugin\'s options change', async () => {
    const { dir, out, run } = await project({
      'package.json': '{ "name": "a-report", "private": true, "type": "module", "devDependencies": { "rehype-external-links": "3.0.0" } }\n',
      'plugins/sign.js': `export default function sign(options) {
  return (tree) => {
    tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Signed: ' + options.by }] })
  }
}
`,
      'content/report.yml': reportWith('  remark:\n    - [./plugins/sign.js, { by: Ada }]\n  rehype:\n    - [rehype-external-links, { rel: [nofollow] }]\n'),
      'content/voices.md': `${chapter}\nSee [the guide](https://example.org/).\n`,
    })
    // The published plugin is found in the project's node_modules: this repository's.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
    const cached = () => run({ cache: path.join(dir, 'cache') })
    const first = await cached()
    expect(first.messages.filter((m) => m.severity !== 'info')).toEqual([])
    const before = await page(out, 'voices/index.html')
    expect(toString(select('main', before)!)).toContain('Signed: Ada')
    expect((select('main a[href="https://example.org/"]', before) as Element).properties['rel']).toEqual(['nofollow'])

    const again = await cached()
    expect(again.unchanged).toBe(true)

    await writeFiles(dir, {
      'content/report.yml': reportWith('  remark:\n    - [./plugins/sign.js, { by: Grace }]\n  rehype:\n    - [rehype-external-links, { rel: [noopener] }]\n'),
    })
    const changed = await cached()
    expect(changed.unchanged).toBeUndefined()
    const after = await page(out, 'voices/index.html')
    expect(toString(select('main', after)!)).toContain('Signed: Grace')
    expect(toString(select('main', after)!)).not.toContain('Signed: Ada')
    expect((select('main a[href="https://example.org/"]', after) as Element).properties['rel']).toEqual(['noopener'])
  })

  it('builds again when the file of a plugin of the project\'s own changes', async () => {
    const { dir, out, run } = await project({
      'plugins/sign.js': "export default function sign() { return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'First' }] }) } }\n",
      'content/report.yml': reportWith('  remark:\n    - ./plugins/sign.js\n'),
      'content/voices.md': chapter,
    })
    const cache = path.join(dir, 'cache')
    await run({ cache })
    expect(toString(select('main', await page(out, 'voices/index.html'))!)).toContain('First')
    // A new file name, so that this process's module cache does not answer with the old one.
    await writeFiles(dir, {
      'plugins/sign2.js': "export default function sign() { return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Second' }] }) } }\n",
      'content/report.yml': reportWith('  remark:\n    - ./plugins/sign2.js\n'),
    })
    const second = await run({ cache })
    expect(second.unchanged).toBeUndefined()
    expect(toString(select('main', await page(out, 'voices/index.html'))!)).toContain('Second')
  })
})

describe('MyST plugins', () => {
  it('are named in a warning at their entry in myst.yml, not silently ignored', () => {
    const { messages } = readMystConfig('content/myst.yml', 'version: 1\nproject:\n  title: A book\n  plugins:\n    - directives.mjs\n    - type: javascript\n      path: roles.js\n')
    const warned = messages.filter((m) => m.ruleId === 'myst-plugin-supported')
    expect(warned.map((m) => [m.line, m.severity])).toEqual([
      [5, 'warning'],
      [6, 'warning'],
    ])
    expect(warned[0]!.reason).toContain('`directives.mjs`')
    expect(messages.some((m) => m.ruleId === 'myst-key-supported' && m.reason.includes('plugins'))).toBe(false)
  })
})
