// The npm package as a user gets it: packed from this repository, installed
// as a devDependency into an empty folder from the tarball, and then used
// there through npx and through its API, the way getting-started.md says.
// One pack and one install, shared by every test below, in order.

import { execFile, spawn } from 'node:child_process'
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const run = promisify(execFile)
const env = { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '1' }

let tarball: string
let packed: string[]
let project: string

/** Run `npx fieldnotes …` in the project; never lets npx fetch anything. */
async function fieldnotes(...args: string[]) {
  return run('npx', ['--no', 'fieldnotes', ...args], { cwd: project, env, maxBuffer: 16 * 1024 * 1024 })
}

/** Every file under `dir` with its size and time, to tell whether anything was written there. */
async function stamps(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { recursive: true })).map(String).sort()
  return Promise.all(names.map(async (name) => {
    const info = await stat(path.join(dir, name))
    return `${name} ${info.size} ${info.mtimeMs}`
  }))
}

beforeAll(async () => {
  const dir = await tempDir()
  const own = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  // `npm pack` runs the prepack script, which bundles lib/ afresh.
  await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 })
  tarball = path.join(dir, `fieldnotes-${own.version}.tgz`)
  packed = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean).map((name) => name.replace(/^package\//, ''))
  project = path.join(dir, 'my-report')
  await mkdir(project)
  // The npm cache holds every dependency after `npm ci` in this repository, so this needs no network.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', tarball], { cwd: project, env })
}, 600_000)

describe('the npm package', () => {
  it('ships the command, the bundled code and its types, templates, public files, docs and licence, and nothing else', () => {
    const tops = [...new Set(packed.map((name) => name.split('/')[0]))].sort()
    expect(tops).toEqual(['LICENSE', 'README.md', 'bin', 'docs', 'lib', 'package.json', 'public', 'templates'])
    expect(packed).toEqual(expect.arrayContaining(['bin/fieldnotes.js', 'lib/cli.js', 'lib/worker.js', 'lib/api.js', 'lib/reload.js', 'lib/diagrams.js', 'lib/types/api.d.ts', 'templates/base.liquid', 'docs/getting-started.md', 'docs/api.md']))
    // No tests, no example report, no sources, no build scripts, no source maps pointing at them.
    expect(packed.filter((name) => /^(tests|content|src|scripts|bench|audit)\//.test(name) || name.endsWith('.map'))).toEqual([])
  })

  it('bundles one micromark, whose own text reader is the one the linear parser changes', async () => {
    const lib = path.join(project, 'node_modules', 'fieldnotes', 'lib')
    const code = (await Promise.all((await readdir(lib)).filter((name) => name.endsWith('.js')).map((name) => readFile(path.join(lib, name), 'utf8')))).join('\n')
    // One text reader in the bundle, handed to src/markdown/linear.ts by a static import (scripts/bundle.mjs) ...
    expect(code.match(/initializeFactory\d*\("text"\)/g)).toHaveLength(1)
    expect(code).toMatch(/textInitials = \[\w+\]/)
    // ... and not a second micromark loaded from node_modules at run time, which the bundle's parser would not use.
    expect(code).not.toMatch(/resolve\("micromark"\)/)
  })

  it('declares the API and its types in exports, pointing at files the package holds', async () => {
    const manifest = JSON.parse(await readFile(path.join(project, 'node_modules', 'fieldnotes', 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; types: string }
    const main = manifest.exports['.']!
    for (const file of [main.types, main.default, manifest.types]) expect(packed).toContain(file.replace(/^\.\//, ''))
  })

  it('starts a report with npx fieldnotes init in the folder it was installed in, keeping the installed devDependency', async () => {
    const { stderr } = await fieldnotes('init', '--title', 'Packed and installed', '--author', 'Ana Ruiz')
    expect(stderr).toContain('Started a report in ./')
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; scripts: Record<string, string> }
    expect(manifest.devDependencies['fieldnotes']).toMatch(/^file:.*\.tgz$/)
    expect(manifest.scripts).toMatchObject({ build: 'fieldnotes build', test: 'fieldnotes check --strict' })
    expect(await readFile(path.join(project, 'content', 'report.yml'), 'utf8')).toContain('"Packed and installed"')
  }, 120_000)

  it('builds the new report with npx fieldnotes build: no problems, dist/index.html written, cached, and nothing written inside the package', async () => {
    const before = await stamps(path.join(project, 'node_modules', 'fieldnotes'))
    const { stderr } = await fieldnotes('build')
    expect(stderr).toContain('No problems found.')
    expect(stderr).toMatch(/Built \d+ pages into dist\//)
    expect(await readFile(path.join(project, 'dist', 'index.html'), 'utf8')).toContain('Packed and installed')
    expect(await readFile(path.join(project, 'dist', 'assets', 'style.css'), 'utf8')).not.toBe('')
    // The build cache works from the installed package: a second build finds nothing to redo.
    expect((await fieldnotes('build')).stderr).toContain('Nothing changed since the last build')
    expect(await stamps(path.join(project, 'node_modules', 'fieldnotes'))).toEqual(before)
  }, 120_000)

  it('builds the same site on worker threads from the installed package', async () => {
    const { stderr } = await fieldnotes('build', '--threads', '2', '--no-cache', '--out', 'threaded')
    expect(stderr).toContain('No problems found.')
    for (const page of ['index.html', 'themes/getting-started/index.html', 'findings/index.html']) {
      expect(await readFile(path.join(project, 'threaded', page), 'utf8')).toBe(await readFile(path.join(project, 'dist', page), 'utf8'))
    }
  }, 120_000)

  it('publishes Mermaid from the installed package for a MyST project with a diagram', async () => {
    await writeFiles(path.join(project, 'book'), { 'myst.yml': 'version: 1\nproject:\n  title: Drawn\n', 'index.md': '# Drawn\n\n```{mermaid}\nflowchart LR\n  A --> B\n```\n' })
    const { stderr } = await fieldnotes('build', '--content', 'book', '--out', 'drawn', '--no-cache')
    expect(stderr).toContain('No problems found.')
    const installed = path.join(project, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')
    expect((await readFile(path.join(project, 'drawn', 'assets', 'mermaid.min.js'))).equals(await readFile(installed))).toBe(true)
    expect(await readFile(path.join(project, 'drawn', 'assets', 'diagrams.js'), 'utf8')).toBe(await readFile(path.join(repoRoot, 'src', 'render', 'diagrams.js'), 'utf8'))
  }, 120_000)

  it('checks it with npx fieldnotes check and the strict test script', async () => {
    expect((await fieldnotes('check')).stderr).toContain('No problems found.')
    expect((await run('npm', ['test', '--silent'], { cwd: project, env })).stderr).toContain('No problems found.')
  }, 120_000)

  it('writes consent review sheets with npx fieldnotes quotes, one per participant who may be quoted', async () => {
    const { stderr } = await fieldnotes('quotes')
    expect(stderr).toContain('Wrote 2 review sheets')
    const sheets = (await readdir(path.join(project, 'review'))).filter((name) => name.endsWith('.html')).sort()
    expect(sheets).toEqual([expect.stringContaining('P01'), expect.stringContaining('P02')])
  }, 120_000)

  it('previews it with fieldnotes dev, serving pages with the reload script, until stopped', async () => {
    const child = spawn(process.execPath, [path.join(project, 'node_modules', '.bin', 'fieldnotes'), 'dev', '--port', '0'], { cwd: project, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString()
        const found = /at (http:\/\/\S+?) /.exec(log)
        if (found) resolve(found[1]!)
      })
      child.once('exit', () => reject(new Error(`dev stopped: ${log}`)))
    })
    try {
      const page = await fetch(new URL('themes/getting-started/', url))
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('/__fieldnotes/reload.js')
      const script = await fetch(new URL('__fieldnotes/reload.js', url))
      expect(script.status).toBe(200)
      expect(await script.text()).toContain('EventSource')
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  }, 120_000)

  it('runs the API from an .mjs script: build and check return their messages, and the site is written', async () => {
    await writeFile(
      path.join(project, 'scripted.mjs'),
      [
        "import { build, check, isFailing } from 'fieldnotes'",
        "const built = await build({ outDir: 'scripted-site', cache: false })",
        'const checked = await check()',
        'console.log(JSON.stringify({ written: built.written, pages: built.pages.length, messages: [...built.messages, ...checked.messages], failing: isFailing(built.messages, true) }))',
      ].join('\n'),
    )
    const { stdout } = await run(process.execPath, ['scripted.mjs'], { cwd: project, env })
    const result = JSON.parse(stdout) as { written: boolean; pages: number; messages: unknown[]; failing: boolean }
    expect(result).toMatchObject({ written: true, messages: [], failing: false })
    expect(result.pages).toBeGreaterThan(5)
    expect(await readFile(path.join(project, 'scripted-site', 'index.html'), 'utf8')).toContain('Packed and installed')
  }, 120_000)

  it('gives TypeScript its types: correct use compiles, and a wrong option is a type error at its line', async () => {
    await writeFile(
      path.join(project, 'typed.mts'),
      [
        "import { build, dev, type BuildOptions, type Message } from 'fieldnotes'",
        "const options: BuildOptions = { contentDir: 'content', strict: true, threads: 1 }",
        'const first: Message | undefined = (await build(options)).messages[0]',
        'const preview = await dev({ port: 0 })',
        "const wrong: BuildOptions = { contentDir: 'content', strict: 'yes' }",
        'export { first, preview, wrong }',
      ].join('\n'),
    )
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], noEmit: true }, files: ['typed.mts'] }),
    )
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    const failed = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, env }).then(
      () => undefined,
      (error: { stdout: string }) => error,
    )
    expect(failed?.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^typed\.mts\(5,\d+\): error TS2322: Type 'string' is not assignable to type 'boolean( \| undefined)?'/)])
  }, 120_000)
})

// The same installed project made its authors' own, as docs/theming.md and docs/plugins.md say:
// two plugins from the registry, an accent colour, a stylesheet and a footer of its own.
describe('the installed report, made its authors\' own', () => {
  const accent = 'rgb(122, 46, 138)'
  let browser: Browser | undefined
  let servers: StaticServer[] = []

  afterAll(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
  })

  it('builds with plugins from the registry, a theme, custom.css and a footer override, with no problems', async () => {
    // From the npm cache that `npm ci` in this repository filled: they are its devDependencies.
    const own = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    const plugins = ['remark-smartypants', 'rehype-external-links'].map((name) => `${name}@${own.devDependencies[name]!}`)
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', ...plugins], { cwd: project, env })
    const content = path.join(project, 'content')
    const report = await readFile(path.join(content, 'report.yml'), 'utf8')
    await writeFile(
      path.join(content, 'report.yml'),
      `${report.trimEnd()}\nplugins:\n  remark:\n    - remark-smartypants\n  rehype:\n    - [rehype-external-links, { target: _blank, rel: [noopener, external] }]\ntheme:\n  accent: "#7a2e8a"\n`,
    )
    await writeFile(path.join(content, 'custom.css'), 'h1 { text-decoration-line: underline; }\n')
    await mkdir(path.join(content, 'templates'))
    await writeFile(
      path.join(content, 'templates', 'footer.liquid'),
      '<footer class="site-footer">\n  <p>Made by the {{ site.title }} team. <a href="{{ page.root }}">Start</a></p>\n</footer>\n',
    )
    const chapter = path.join(content, 'methods.md')
    await writeFile(chapter, `${(await readFile(chapter, 'utf8')).trimEnd()}\n\nOne volunteer said it "works" -- and [the handbook](https://example.org/handbook) agrees.\n`)
    const { stderr } = await fieldnotes('build')
    expect(stderr).toContain('No problems found.')
    expect(stderr).toMatch(/Built \d+ pages into dist\//)
  }, 240_000)

  async function open(server: StaticServer, address: string, scheme: 'light' | 'dark'): Promise<Page> {
    browser ??= await launchBrowser()
    const page = await browser.context.newPage()
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(new URL(address, server.url).href, { waitUntil: 'load' })
    return page
  }
  const style = (page: Page, selector: string, property: string) =>
    page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`)

  it.each(['light', 'dark'] as const)('shows each plugin, the accent, the footer and the custom CSS in Chromium, and axe finds nothing, in the %s scheme', async (scheme) => {
    const server = await serveDirectory(path.join(project, 'dist'))
    servers.push(server)
    const page = await open(server, 'methods/', scheme)
    try {
      // remark-smartypants: curly quotes and a dash; rehype-external-links: the link opens apart.
      expect(await page.locator('.prose').innerText()).toContain('it \u201cworks\u201d \u2014 and the handbook agrees')
      const link = page.locator('.prose a[href="https://example.org/handbook"]')
      expect([await link.getAttribute('target'), await link.getAttribute('rel')]).toEqual(['_blank', 'noopener external'])
      if (scheme === 'light') expect(await style(page, '.site-title', 'color')).toBe(accent)
      else expect(await style(page, '.site-title', 'color')).not.toBe(accent) // a lighter shade of it, readable on the dark background
      expect((await page.locator('.site-footer').innerText()).trim()).toBe('Made by the Packed and installed team. Start')
      expect(await style(page, 'h1', 'textDecorationLine')).toBe('underline')
      expect(await axeViolations(page)).toEqual([])
    } finally {
      await page.close()
    }
  }, 120_000)

  it('serves a 404 page with its styles and a working link home, deep under a sub-path, with no site_url', async () => {
    expect(await readFile(path.join(project, 'content', 'report.yml'), 'utf8')).not.toMatch(/^site_url:/m)
    const server = await serveDirectory(path.join(project, 'dist'), { under: '/report/' })
    servers.push(server)
    const page = await open(server, '/report/themes/gone/missing/', 'light')
    try {
      await expect.poll(() => style(page, '.site-title', 'color'), { timeout: 10_000 }).toBe(accent)
      expect((await page.locator('.site-footer').innerText()).trim()).toBe('Made by the Packed and installed team. Start')
      await page.locator('.site-footer a').click()
      await page.waitForURL(new URL('/report/', server.url).href)
      expect(await page.title()).toContain('Packed and installed')
    } finally {
      await page.close()
    }
  }, 120_000)
})
