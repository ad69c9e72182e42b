// Template overrides: a `templates/` folder beside report.yml replaces built-in
// templates and partials by file name, escaped like them, with failures named
// in the override itself; Liquid reads nothing outside the two template folders,
// and no template in the content folder is published.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFile as readText } from 'node:fs/promises'
import { BuildSession } from '../src/dev/session.js'
import { unsafeTemplateOutput } from '../src/theme/guard.js'
import { fromHtml } from 'hast-util-from-html'
import { buildProject, repoRoot, select, tempDir, text, where, writeFiles } from './helpers.js'

const chapter = '# Home\n\nThe report.\n'
const placed = (messages: Parameters<typeof where>[0]) => where(messages).map((line) => line.replace(/^.*?content\//, 'content/'))

describe('template overrides', () => {
  it('replace the built-in footer on every page, the 404 and the full report included', async () => {
    const project = await buildProject({
      'report.yml': 'title: Overridden\n',
      'index.md': chapter,
      'templates/footer.liquid': '<footer class="site-footer"><p>Made by the {{ site.title }} team</p></footer>\n',
    })
    expect(project.result.messages).toEqual([])
    for (const page of ['index.html', 'findings/index.html', 'full-report/index.html', '404.html']) {
      expect(text(await project.page(page), '.site-footer'), page).toBe('Made by the Overridden team')
    }
  })

  it('are escaped exactly as the built-in templates are', async () => {
    const project = await buildProject({
      'report.yml': 'title: "<img src=x onerror=alert(1)>"\n',
      'index.md': chapter,
      'templates/footer.liquid': '<footer class="site-footer">{{ site.title }}</footer>\n',
    })
    expect(project.result.messages).toEqual([])
    const footer = select('.site-footer', await project.page('index.html'))!
    expect(select('img', footer)).toBeUndefined()
    expect(text(await project.page('index.html'), '.site-footer')).toBe('<img src=x onerror=alert(1)>')
  })

  it('report a Liquid syntax error at its line and column in the override, and publish nothing', async () => {
    const project = await buildProject({
      'index.md': chapter,
      'templates/footer.liquid': '<footer class="site-footer">\n  {% if %}x{% endif %}\n</footer>\n',
    })
    expect(placed(project.result.messages)).toEqual(['content/templates/footer.liquid:2:8 template-valid'])
    const [message] = project.result.messages
    expect(message!.reason).toContain('template override footer.liquid failed')
    expect(message!.hint).toContain('remove it to use the built-in template')
    expect(project.result.written).toBe(false)
  })

  it('report data a partial does not receive in the partial, though another template was being rendered', async () => {
    const project = await buildProject({
      'index.md': chapter,
      'templates/footer.liquid': '<footer class="site-footer">\n<p>{{ site.titel }}</p>\n</footer>\n',
    })
    expect(placed(project.result.messages)).toEqual(['content/templates/footer.liquid:2:7 template-valid'])
    expect(project.result.messages[0]!.reason).toMatch(/footer\.liquid failed while rendering \w+\.liquid: undefined variable: site\.titel$/)
  })

  it('cannot read a file outside the template folders', async () => {
    const project = await buildProject({
      'index.md': chapter,
      'secret.txt': 'the secret',
      'templates/footer.liquid': "<footer>{% include '../secret.txt' %}{% render '../../content/secret.txt' %}</footer>\n",
    })
    expect(placed(project.result.messages)).toEqual(['content/templates/footer.liquid:1:9 template-valid'])
    expect(project.result.messages[0]!.reason).toContain('Failed to lookup')
  })

  it('may add partials of their own, and are never published', async () => {
    const project = await buildProject({
      'index.md': chapter + '\nThe [footer](templates/footer.liquid).\n',
      'templates/footer.liquid': "{% render 'funders.liquid', site: site %}\n",
      'templates/funders.liquid': '<footer class="site-footer">Funded by a grant</footer>\n',
    })
    expect(placed(project.result.messages)).toEqual(['content/index.md:5:5 file-publishable'])
    expect(project.result.messages[0]!.reason).toContain('page template')

    const fine = await buildProject({
      'index.md': chapter,
      'templates/footer.liquid': "{% render 'funders.liquid', site: site %}\n",
      'templates/funders.liquid': '<footer class="site-footer">Funded by a grant</footer>\n',
    })
    expect(fine.result.messages).toEqual([])
    expect(text(await fine.page('index.html'), '.site-footer')).toBe('Funded by a grant')
    const published = await readdir(fine.out, { recursive: true })
    expect(published.filter((name) => name.endsWith('.liquid') || name.startsWith('templates'))).toEqual([])
    expect(await readFile(path.join(fine.out, 'index.html'), 'utf8')).not.toContain('{% render')
  })

  it('may not drop the page\'s security policy, load a script of their own or redirect the reader', async () => {
    const base = await readText(path.join(repoRoot, 'templates/base.liquid'), 'utf8')
    const cases: [string, Record<string, string>, RegExp][] = [
      ['no policy', { 'base.liquid': base.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '') }, /does not carry the site's Content-Security-Policy/],
      ['a looser policy', { 'base.liquid': base.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") }, /not the site's own/],
      ['a script before the policy', { 'base.liquid': base.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<script src="{{ page.root }}assets/site.js"></script>') }, /<script> before/],
      ['a script from content', { 'footer.liquid': '<footer class="site-footer"><script src="{{ page.root }}notes.txt"></script></footer>' }, /loads the script `(\.\.\/)*(\.\/)?notes\.txt`/],
      ['a script from elsewhere', { 'footer.liquid': '<footer class="site-footer"><script src="//example.com/assets/x.js"></script></footer>' }, /loads the script `\/\/example\.com/],
      ['an inline script', { 'footer.liquid': '<footer class="site-footer"><script>alert(1)</script></footer>' }, /script written in the page/],
      ['a redirect', { 'footer.liquid': '<footer class="site-footer"><meta http-equiv="refresh" content="0;url=https://example.com"></footer>' }, /http-equiv="refresh"/],
    ]
    for (const [name, overrides, reason] of cases) {
      const project = await buildProject({
        'index.md': chapter + '\n[Notes](notes.txt)\n',
        'notes.txt': 'alert(1)',
        ...Object.fromEntries(Object.entries(overrides).map(([file, text]) => [`templates/${file}`, text])),
      })
      const unsafe = project.result.messages.filter((m) => m.ruleId === 'template-output-safe')
      expect(unsafe.length, name).toBeGreaterThan(0)
      expect(unsafe.map((m) => m.reason).join('\n'), name).toMatch(reason)
      expect(unsafe[0]!.file, name).toMatch(/content\/templates\/(base|footer)\.liquid$/)
      expect(project.result.written, name).toBe(false)
    }
  }, 60_000)

  it('are held to a rule every page of the built-in templates keeps, 404 and search page included, with or without site_url', async () => {
    for (const [report, basePath] of [['site_url: https://example.org/report/\n', '/report/'], ['title: No address\n', null]] as const) {
      const project = await buildProject({ 'report.yml': report, 'index.md': chapter + '\n:::finding{#f}\n## A finding\n\n> Said.\n> — P01\n:::\n' })
      expect(project.result.written).toBe(true)
      const pages = project.result.pages
      expect(pages).toContain('404.html')
      expect(pages).toContain('search/index.html')
      for (const file of pages) {
        const html = await readText(path.join(project.out, file), 'utf8')
        expect(unsafeTemplateOutput(file, html, file === '404.html' ? basePath : '/'), file).toEqual([])
      }
      // The 404 page's own script is allowed there only, and only as the generator wrote it.
      const notFound = await readText(path.join(project.out, '404.html'), 'utf8')
      if (basePath === null) {
        expect(unsafeTemplateOutput('404.html', notFound.replace('const html = document.documentElement', 'const html = document.body'), null)).toContain("it has a script written in the page; scripts must be the generator's own files")
        expect(unsafeTemplateOutput('index.html', notFound, '/')).toContain("its Content-Security-Policy is not the site's own")
      }
    }
  })

  it('cannot stall the build with a loop or a string without end', async () => {
    const project = await buildProject({
      'index.md': chapter,
      'templates/footer.liquid': '<footer>\n{% for i in (1..1000000000) %}{% endfor %}\n{% assign s = "xx" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}</footer>\n',
    })
    expect(placed(project.result.messages)).toEqual(['content/templates/footer.liquid:2:1 template-valid'])
    expect(project.result.messages[0]!.reason).toContain('memory alloc limit exceeded')
  })

  it('are read again by the dev server on every rebuild, added, changed or broken', async () => {
    const content = path.join(await tempDir(), 'content')
    await writeFiles(content, { 'index.md': chapter })
    const session = new BuildSession({ contentDir: content })
    const footer = () => text(fromHtml(session.site!.files.get('index.html')!), '.site-footer')
    expect((await session.rebuild()).ok).toBe(true)
    expect(footer()).not.toContain('From the override')

    await writeFiles(content, { 'templates/footer.liquid': '<footer class="site-footer">From the override</footer>\n' })
    const added = await session.rebuild()
    expect(added.ok).toBe(true)
    expect(added.changed).toContain('index.html')
    expect(footer()).toBe('From the override')

    await writeFiles(content, { 'templates/footer.liquid': '<footer class="site-footer">{{ site.nothing }}</footer>\n' })
    const broken = await session.rebuild()
    expect(broken.ok).toBe(false)
    expect(placed(broken.messages)).toEqual(['content/templates/footer.liquid:1:32 template-valid'])
    // The last good site is still the one served.
    expect(footer()).toBe('From the override')
  })
})
