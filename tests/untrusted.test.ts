// Content arrives in pull requests and is built in CI with the repository's
// rights, so it is treated as hostile: it must not make the build run a
// program, replace the generator's own files, or publish a file a browser
// would execute. Each case here was a working attack before it was closed.

import { execFile } from 'node:child_process'
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { startDevServer } from '../src/dev/server.js'
import { readHistory } from '../src/load/history.js'
import { writeSite } from '../src/write/output.js'
import { launchBrowser, serveDirectory } from './browser.js'
import { buildInMemory, buildProject, repoRoot, selectAll, tempDir, where, writeFiles } from './helpers.js'

const run = promisify(execFile)
const exists = (file: string) => readFile(file).then(() => true, () => false)

describe('a content folder shaped like a git repository', () => {
  /**
   * A bare repository in the content folder whose configuration asks git to
   * check signatures with a program of the contributor's, next to a commit
   * that carries a signature and touches a chapter: `git log` in that folder
   * runs the program. Returns where the program leaves its mark.
   */
  async function plantRepository(content: string): Promise<string> {
    const dir = path.dirname(content)
    const mark = path.join(dir, 'program-ran')
    const program = path.join(dir, 'verify.sh')
    await writeFile(program, `#!/bin/sh\ntouch '${mark}'\nexit 1\n`)
    await chmod(program, 0o755)
    const git = (args: string[], input?: string) => {
      const child = run('git', args, { cwd: content })
      if (input !== undefined) child.child.stdin?.end(input)
      return child.then(({ stdout }) => stdout.trim())
    }
    await run('git', ['init', '-q', '--bare', content])
    await writeFile(path.join(content, 'index.md'), '# Home\n\nWelcome.\n')
    const blob = await git(['hash-object', '-w', 'index.md'])
    const tree = await git(['mktree'], `100644 blob ${blob}\tindex.md\n`)
    const signature = ['-----BEGIN PGP SIGNATURE-----', ' ', ' iQ==', ' -----END PGP SIGNATURE-----'].join('\n')
    const commit = `tree ${tree}\nauthor A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> 1700000000 +0000\ngpgsig ${signature}\n\nSigned\n`
    await writeFile(path.join(dir, 'commit.txt'), commit)
    const id = await git(['hash-object', '-t', 'commit', '-w', path.join(dir, 'commit.txt')])
    await git(['update-ref', 'refs/heads/main', id])
    await git(['symbolic-ref', 'HEAD', 'refs/heads/main'])
    await git(['config', 'log.showSignature', 'true'])
    await git(['config', 'gpg.program', program])
    // The attack works today with plain git: the program runs when git is let discover the folder.
    await run('git', ['-C', content, 'log', '--format=%H', '--', '.'])
    expect(await exists(mark)).toBe(true)
    await run('rm', ['-f', mark])
    return mark
  }

  it('never lets git read its configuration, in check, build or the dev server\'s history', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    const mark = await plantRepository(content)

    const checked = await build({ contentDir: content, write: false, cache: false })
    await readHistory(content, ['index.md'])
    const built = await build({ contentDir: content, outDir: path.join(dir, 'dist'), cache: false })
    expect(await exists(mark)).toBe(false)

    for (const result of [checked, built]) {
      const found = result.messages.filter((m) => m.ruleId === 'content-holds-no-repository')
      expect(where(found).map((w) => path.relative(dir, w))).toEqual(['content/HEAD:1:1 content-holds-no-repository'])
      expect(found[0]!.reason).toBe('The content folder is shaped like a bare git repository (`HEAD`, `objects/` and `refs/`)')
      expect(found[0]!.hint).toMatch(/^Remove the repository files from the content folder/)
    }
    expect(built.written).toBe(false)
  })

  it('reports a repository in a subfolder, and a .git in one, but not the checkout that holds the content', async () => {
    const dir = await tempDir()
    await run('git', ['init', '-q', dir])
    const content = path.join(dir, 'content')
    await writeFiles(content, { 'index.md': '# Home\n', 'data/notes.md': '# Notes\n', 'vendor/.git/HEAD': 'ref: refs/heads/main\n' })
    await run('git', ['init', '-q', '--bare', path.join(content, 'data', 'mirror')])
    const result = await build({ contentDir: content, write: false, cache: false })
    expect(where(result.messages).map((w) => path.relative(dir, w))).toEqual([
      'content/data/mirror/HEAD:1:1 content-holds-no-repository',
      'content/vendor/.git:1:1 content-holds-no-repository',
    ])
  })

  it('still dates chapters from the checkout when the content folder is the repository itself', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'index.md': '# Home\n' })
    const date = '2024-03-05T10:00:00+01:00'
    const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
    const git = (args: string[]) => run('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env })
    await git(['init', '-q'])
    await git(['add', '.'])
    await git(['commit', '-q', '-m', 'First'])
    const history = await readHistory(dir, ['index.md'])
    expect(history.repositoryPath).toBe('')
    expect(history.updated.get('index.md')).toBe(date)
    const result = await build({ contentDir: dir, write: false, cache: false })
    expect(result.messages.filter((m) => m.ruleId === 'content-holds-no-repository')).toEqual([])
  })
})

describe('content files that would replace the generator\'s own, or run in the browser', () => {
  const chapter = (body: string) => `# Methods\n\n${body}\n`

  it('refuses files in the generator\'s folders, at the link or image that uses them, and writes nothing', async () => {
    const project = await buildProject({
      'index.md': chapter(
        [
          '![Logo](assets/logo.png) and [script](assets/site.js)', //  line 3
          '', //                                                       4
          '[styles](assets/style.css) [index](pagefind/pagefind.js)', // 5
          '', //                                                       6
          '[cite](CITATION.cff) [map](sitemap.xml)', //                7
        ].join('\n'),
      ),
      'assets/logo.png': 'PNG',
      'assets/site.js': 'alert(document.domain)',
      'assets/style.css': 'body{display:none}',
      'pagefind/pagefind.js': 'alert(1)',
      'CITATION.cff': 'cff-version: 1.2.0\n',
      'sitemap.xml': '<urlset/>',
    })
    expect(where(project.result.messages).map((w) => path.relative(project.dir, w))).toEqual([
      'content/index.md:3:1 file-publishable',
      'content/index.md:3:30 file-publishable',
      'content/index.md:5:1 file-publishable',
      'content/index.md:5:28 file-publishable',
      'content/index.md:7:1 file-publishable',
      'content/index.md:7:22 file-publishable',
    ])
    const [logo, script, , , cff] = project.result.messages
    expect(logo!.reason).toBe('The image `assets/logo.png` cannot be published: it would be published in /assets/, a folder only the generator writes (its scripts, styles and search index)')
    expect(script!.hint).toMatch(/^Move the file to another folder/)
    expect(cff!.reason).toBe('The linked file `CITATION.cff` cannot be published: the generator writes /CITATION.cff itself')
    expect(project.result.written).toBe(false)
    expect(await exists(project.out)).toBe(false)
  })

  it('refuses pages, scripts, styles and XML from content, whatever their case', () => {
    const names = ['guide.html', 'old.HTM', 'page.xhtml', 'tool.js', 'mod.mjs', 'look.css', 'data.xml', 'feed.rss', 'app.wasm', 'pic.svgz']
    const site = buildInMemory({
      'index.md': chapter(names.map((name) => `[${name}](files/${name})`).join('\n\n')),
      ...Object.fromEntries(names.map((name) => [`files/${name}`, 'x'])),
    })
    expect(site.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(names.map((_, i) => `${3 + 2 * i} file-publishable`))
    expect(site.messages[0]!.reason).toBe("The linked file `files/guide.html` cannot be published: a browser would run or render a `.html` file as part of the site, with the site's own rights")
    expect(site.messages[0]!.hint).toMatch(/^Write the page as a markdown chapter instead/)
    expect(site.messages[3]!.hint).toMatch(/^Put the file in a \.zip archive/)
  })

  it('refuses host settings unless report.yml names them, and then publishes them at the top', async () => {
    const refused = buildInMemory({
      'index.md': chapter('[routes](_routes.json) and [serve](docs/serve.json)'),
      '_routes.json': '{}',
      'docs/serve.json': '{}',
    })
    expect(where(refused.messages)).toEqual(['content/index.md:3:1 file-publishable', 'content/index.md:3:28 file-publishable'])
    expect(refused.messages[0]!.reason).toMatch(/`_routes\.json` configures the web host/)
    expect(refused.messages[1]!.hint).toMatch(/^Hosts read this file only at the top of the site/)

    const allowed = await buildProject({
      'report.yml': 'title: R\nhost_files: [_redirects, _routes.json]\n',
      'index.md': chapter('Text.'),
      '_redirects': '/old /new 301\n',
      '_routes.json': '{"version":1}',
    })
    expect(allowed.result.messages).toEqual([])
    expect(await readFile(path.join(allowed.out, '_redirects'), 'utf8')).toBe('/old /new 301\n')
    expect(await readFile(path.join(allowed.out, '_routes.json'), 'utf8')).toBe('{"version":1}')

    const unknown = buildInMemory({ 'report.yml': 'title: R\nhost_files: [notes.txt]\n', 'index.md': chapter('Text.'), 'notes.txt': 'x' })
    expect(where(unknown.messages)).toEqual(['content/report.yml:2:14 value-type-valid'])
  })

  it('refuses a logo or download in report.yml that may not be published, at its line', () => {
    const site = buildInMemory({
      'report.yml': 'title: R\nlogo: assets/logo.png\ndownloads:\n  - title: Guide\n    file: guide.html\n',
      'index.md': chapter('Text.'),
      'assets/logo.png': 'PNG',
      'guide.html': '<script>alert(1)</script>',
    })
    expect(where(site.messages)).toEqual(['content/report.yml:2:7 file-publishable', 'content/report.yml:5:11 file-publishable'])
  })

  it('keeps chapters out of the generator\'s folders and files, instead of crashing on them', async () => {
    const project = await buildProject({
      'index.md': chapter('Text.'),
      'CITATION.cff.md': '# Cite\n',
      'robots.txt.md': '# Robots\n',
      'assets/notes.md': '# Notes\n',
      'pagefind.md': '# Search\n',
    })
    expect(where(project.result.messages).map((w) => path.relative(project.dir, w))).toEqual([
      'content/assets/notes.md:1:1 page-path-unique',
      'content/CITATION.cff.md:1:1 page-path-unique',
      'content/pagefind.md:1:1 page-path-unique',
      'content/robots.txt.md:1:1 page-path-unique',
    ])
    expect(project.result.messages[1]!.reason).toBe('This chapter would be published at /CITATION.cff/, where the generator writes its own file /CITATION.cff')
    expect(project.result.messages[0]!.reason).toBe('This chapter would be published at /assets/notes/, inside /assets/, a folder only the generator writes')
    expect(project.result.messages.some((m) => m.ruleId === 'internal-error')).toBe(false)
  })

  it('sanitizes a chapter that becomes the search page, whose policy allows WebAssembly, like any other', () => {
    const site = buildInMemory({
      'index.md': chapter('Text.'),
      'search.md': '# Search\n\n<script src="https://evil.example/x.js"></script>\n\n<img src="a.png" onerror="fetch(\'/ran\')" alt="">\n\n<form action="https://evil.example/"><input name="q"></form>\n',
    })
    expect(where(site.messages).every((w) => w.endsWith(' html-sanitized'))).toBe(true)
    expect(site.messages.length).toBeGreaterThan(0)
    const html = site.files.get('search/index.html')!
    expect(html).toContain("'wasm-unsafe-eval'")
    expect(html).not.toContain('evil.example')
    expect(html).not.toContain('onerror')
    // The page's scripts are the site's own, and nothing else.
    const page = site.page('search/index.html')
    expect(selectAll('script', page).map((script) => script.properties['src'])).toEqual(['../assets/theme.js', '../assets/site.js', '../assets/permalinks.js', '../assets/search.js'])
    expect(selectAll('[onerror], form[action^="http"]', page)).toEqual([])
  })
})

describe('SVG images from content', () => {
  // Each way an SVG file can run script asks the server for /ran-N when it runs.
  const hostile = [
    '<?xml version="1.0" encoding="UTF-8"?>', //                                                            1
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">', // 2
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" viewBox="0 0 100 50" onload="fetch(\'/ran-1\')">', // 3
    '  <metadata><rdf:RDF><dc:creator>Jane Doe</dc:creator></rdf:RDF></metadata>', //                        4
    '  <sodipodi:namedview pagecolor="#ffffff"/>', //                                                          5
    '  <style>@import url(https://example.org/x.css); .bar { fill: #1f77b4 } .t > tspan { font: 6px sans-serif }</style>', // 6
    '  <script>fetch(\'/ran-2\')</script>', //                                                                  7
    '  <linearGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient>', // 8
    '  <rect class="bar" x="0" y="0" width="40" height="20" fill="url(#g)" onclick="fetch(\'/ran-3\')"/>', // 9
    '  <a xlink:href="javascript:fetch(\'/ran-4\')"><text x="5" y="40" class="t"><tspan>A &amp; B</tspan></text></a>', // 10
    '  <a href="#"><set attributeName="href" to="javascript:fetch(\'/ran-5\')"/><circle cx="70" cy="10" r="5"/></a>', // 11
    '  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="fetch(\'/ran-6\')"/></div></foreignObject>', // 12
    '  <use xlink:href="https://example.org/sprite.svg#icon"/><use href="#g"/>', //                            13
    '  <image href="https://example.org/track.png" width="1" height="1"/>', //                                14
    '  <a href="https://example.org/source"><circle cx="90" cy="10" r="5" style="fill: url(https://example.org/p)"/></a>', // 15
    '</svg>',
  ].join('\n')

  it('publishes them with scripts, handlers, animation, embedded HTML and outside references taken out, and says so at each place', async () => {
    const project = await buildProject({ 'index.md': '# Home\n\n![Bar chart of review waits](charts/waits.svg)\n', 'charts/waits.svg': hostile })
    const sanitized = project.result.messages.filter((m) => m.ruleId === 'html-sanitized')
    expect(sanitized.map((m) => `${path.relative(project.dir, m.file)}:${m.line}:${m.column}`)).toEqual([
      'content/charts/waits.svg:3:1',
      'content/charts/waits.svg:6:3',
      'content/charts/waits.svg:7:3',
      'content/charts/waits.svg:9:3',
      'content/charts/waits.svg:10:3',
      'content/charts/waits.svg:11:15',
      'content/charts/waits.svg:12:3',
      'content/charts/waits.svg:13:3',
      'content/charts/waits.svg:14:3',
      'content/charts/waits.svg:15:40',
    ])
    expect(sanitized[0]!.reason).toBe('The `onload` attribute of `<svg>` was removed from this SVG image: event handlers never run')
    expect(sanitized[2]!.reason).toBe('The `<script>` element was removed from this SVG image with everything inside it: it can run script or load other content')
    expect(project.result.written).toBe(true)

    const published = await readFile(path.join(project.out, 'charts/waits.svg'), 'utf8')
    expect(published).not.toMatch(/script|onload|onclick|onerror|javascript|foreignObject|<set|example\.org\/(x\.css|sprite|track|p\))|Jane|sodipodi|metadata/i)
    // What the drawing needs is still there.
    expect(published).toContain('<linearGradient id="g">')
    expect(published).toContain('fill="url(#g)"')
    expect(published).toContain('<use href="#g"></use>')
    expect(published).toContain('<a href="https://example.org/source">')
    expect(published).toMatch(/<style><!\[CDATA\[.*\.bar \{ fill: #1f77b4 \} \.t > tspan/)
    expect(published).toContain('A &#x26; B')
  })

  it('runs nothing in Chromium, opened on its own or in its page, and still draws', async () => {
    const project = await buildProject({ 'index.md': '# Home\n\n![Bar chart of review waits](charts/waits.svg)\n', 'charts/waits.svg': hostile })
    const server = await serveDirectory(project.out)
    const browser = await launchBrowser()
    try {
      const ran: string[] = []
      browser.context.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/ran-')) ran.push(request.url())
      })
      const tab = await browser.context.newPage()
      const response = await tab.goto(`${server.url}charts/waits.svg`)
      expect(response?.headers()['content-type']).toMatch(/^image\/svg\+xml/)
      // Well-formed: Chromium shows a parser error instead of a drawing otherwise.
      expect(await tab.evaluate('[document.documentElement.localName, document.querySelectorAll("parsererror").length, document.querySelectorAll("rect, circle, text").length]')).toEqual(['svg', 0, 4])
      for (const shape of await tab.$$('rect, circle, text')) await shape.click({ force: true }).catch(() => undefined)
      await tab.goto(server.url)
      expect(await tab.evaluate('document.querySelector("img").naturalWidth')).toBeGreaterThan(0)
      // A script that ran would have asked for its URL by the time both pages settle.
      await tab.goto(`${server.url}charts/waits.svg`, { waitUntil: 'networkidle' })
      expect(ran).toEqual([])
    } finally {
      await browser.close()
      await server.close()
    }
  })

  it('refuses a file named .svg that is not one, and one nested too deep to read', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n![Chart](a.svg)\n\n![Chart](b.svg)\n',
      'a.svg': '<html><body><script>alert(1)</script></body></html>',
      'b.svg': `<svg>${'<g>'.repeat(5000)}${'</g>'.repeat(5000)}</svg>`,
    })
    expect(where(site.messages)).toEqual(['content/a.svg:1:1 file-publishable', 'content/b.svg:1:1 nesting-depth-within-limit'])
    expect(site.files.has('a.svg')).toBe(false)
    expect(site.files.has('b.svg')).toBe(false)
  })
})

describe('the writer, as the last guard', () => {
  it('refuses to let a file the build made replace one of the static files, and publishes nothing', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'public'), { 'assets/site.js': 'the generator\'s script' })
    const out = path.join(dir, 'dist')
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [path.join(dir, 'public')] })
    const attempt = writeSite({
      outDir: out,
      files: new Map([['index.html', 'second'], ['assets/site.js', 'alert(1)']]),
      assetDirs: [path.join(dir, 'public')],
    })
    await expect(attempt).rejects.toThrow('Two files would be published at assets/site.js: refusing to let one replace the other')
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('first')
    expect(await readFile(path.join(out, 'assets/site.js'), 'utf8')).toBe('the generator\'s script')
    // The draft it began is gone.
    expect((await readdir(dir)).filter((name) => name.startsWith('.dist-new-'))).toEqual([])
  })
})

describe('ids and names in raw HTML', () => {
  const page = [
    '# Home', //                                                                   1
    '', //                                                                         2
    '<img name="currentScript" src="chart.png" alt="Chart"> <a name="cookie" id="cookie-note" href="#x">note</a>', // 3
    '', //                                                                         4
    '<p id="x">Anchors written as ids still work.</p>', //                         5
    '',
  ].join('\n')

  it('removes `name`, which could replace document properties the site\'s scripts read, and keeps ids for anchors', () => {
    const site = buildInMemory({ 'index.md': page, 'chart.png': 'PNG' })
    expect(where(site.messages)).toEqual(['content/index.md:3:6 html-sanitized', 'content/index.md:3:59 html-sanitized'])
    expect(site.messages[0]!.reason).toBe('The `name` attribute of `<img>` was removed')
    const html = site.files.get('index.html')!
    expect(html).not.toMatch(/\sname="(currentScript|cookie)"/)
    expect(html).toContain('<p id="x">')
    expect(html).toContain('id="cookie-note"')
  })

  it('leaves document.currentScript and document.cookie to the browser in Chromium, so the site\'s script still finds its own folder', async () => {
    const project = await buildProject({ 'index.md': page, 'chart.png': 'PNG' })
    const server = await serveDirectory(project.out)
    const browser = await launchBrowser()
    try {
      const tab = await browser.context.newPage()
      const errors: string[] = []
      tab.on('pageerror', (error) => errors.push(error.message))
      await tab.goto(server.url, { waitUntil: 'load' })
      expect(await tab.evaluate('[document.currentScript, typeof document.cookie, document.querySelectorAll("main [name]").length]')).toEqual([null, 'string', 0])
      // site.js made the theme button from the folder it found through document.currentScript.
      expect(await tab.locator('.theme-toggle').count()).toBe(1)
      expect(errors).toEqual([])
    } finally {
      await browser.close()
      await server.close()
    }
  })
})

describe('chapter names that become unsafe addresses', () => {
  it('refuses a name whose page folder would end in a dot, such as a..md', async () => {
    const project = await buildProject({ 'index.md': '# Home\n', 'a..md': '# A\n', 'notes/b..md': '# B\n' })
    expect(where(project.result.messages).map((w) => path.relative(project.dir, w))).toEqual(['content/a..md:1:1 page-path-safe', 'content/notes/b..md:1:1 page-path-safe'])
    expect(project.result.messages[0]!.reason).toBe("This file's name has an empty or dot-ended part, so it cannot safely become the address of a page")
  })

  it('treats café.md with composed and with decomposed accents as one address, and asks to retype the decomposed one', async () => {
    const composed = 'caf\u00e9.md'
    const decomposed = 'cafe\u0301.md'
    const project = await buildProject({ 'index.md': '# Home\n', [composed]: '# Café\n', [decomposed]: '# Café again\n' })
    // Both are really on disk, under two names.
    expect((await readdir(project.content)).filter((name) => name.startsWith('caf')).sort()).toEqual([decomposed, composed].sort())
    // Files are read in path order, where the decomposed name comes first: the composed one is the second of the two.
    expect(where(project.result.messages).map((w) => path.relative(project.dir, w))).toEqual([
      `content/${decomposed}:1:1 page-path-safe`,
      `content/${composed}:1:1 page-path-unique`,
    ])
    const content = path.relative(process.cwd(), project.content)
    expect(project.result.messages[1]!.reason).toBe(`This chapter would be published at /café/, which differs only in how its accents are stored from /${decomposed.slice(0, -3)}/ (${content}/${decomposed})`)
    expect(project.result.messages[0]!.reason).toBe("This file's name stores its accents as separate marks (Unicode form D), so it cannot safely become the address of a page")
    expect(project.result.written).toBe(false)
  })
})

describe('the dev server, under the same rules as the build', () => {
  async function fetchText(url: string): Promise<{ status: number; type: string | null; body: string }> {
    const response = await fetch(url)
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() }
  }

  it('serves SVG images sanitized, and never a file the build refuses', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await writeFiles(content, {
      'index.md': '# Home\n\n![Chart](chart.svg)\n',
      'chart.svg': '<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/ran\')"><script>fetch(\'/ran\')</script><rect width="4" height="4"/></svg>',
    })
    const server = await startDevServer({ contentDir: content, port: 0 })
    try {
      const svg = await fetchText(`${server.url}chart.svg`)
      expect(svg.status).toBe(200)
      expect(svg.type).toBe('image/svg+xml')
      expect(svg.body).toContain('<rect width="4" height="4"></rect>')
      expect(svg.body).not.toMatch(/script|onload/)
    } finally {
      await server.close()
    }

    await writeFiles(content, { 'index.md': '# Home\n\n[The guide](guide.html) and ![logo](assets/site.js)\n', 'guide.html': '<script>alert(1)</script>', 'assets/site.js': 'alert(1)' })
    const refusing = await startDevServer({ contentDir: content, port: 0 })
    try {
      expect(where(refusing.session.messages).map((w) => path.relative(dir, w))).toEqual(['content/index.md:3:1 file-publishable', 'content/index.md:3:29 file-publishable'])
      expect(refusing.session.site).toBeUndefined()
      for (const file of ['guide.html', 'assets/site.js']) expect((await fetchText(`${refusing.url}${file}`)).body).not.toContain('alert(1)')
    } finally {
      await refusing.close()
    }
  })
})

describe('Pagefind, run where the content is', () => {
  it('refuses a Pagefind configuration in the folder the build runs in, which could have it write a file anywhere', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await writeFiles(content, { 'index.md': '# Home\n\nWelcome.\n', 'pagefind.yml': 'logfile: ../pagefind-wrote-this.log\n' })
    const bin = path.join(repoRoot, 'bin', 'fieldnotes.js')
    const result = await run(process.execPath, [bin, 'build', '--content', '.', '--out', '../dist'], { cwd: content, env: { ...process.env, GITHUB_ACTIONS: '' } }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    )
    expect(result.code).toBe(1)
    expect(result.output).toContain('pagefind.yml:1:1  error  Pagefind would read pagefind.yml in the folder the build runs in, and fieldnotes configures Pagefind itself  search-index-builds')
    expect(await exists(path.join(dir, 'pagefind-wrote-this.log'))).toBe(false)
    expect(await exists(path.join(dir, 'dist'))).toBe(false)
  })
})
