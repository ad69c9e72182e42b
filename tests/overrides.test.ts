// Template overrides: a `templates/` folder beside report.yml replaces built-in
// templates and partials by file name, escaped like them, with failures named
// in the override itself; Liquid reads nothing outside the two template folders,
// and no template in the content folder is published.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildProject, select, text, where } from './helpers.js'

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
})
