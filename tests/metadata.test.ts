// How built pages describe the report to machines (Highwire, Dublin Core,
// JSON-LD, Open Graph, CITATION.cff, sitemap, robots), the previews file,
// the search page and form, and what a Content-Security-Policy of
// `script-src 'self'` needs: no inline scripts, handlers or styles.

import { createHash } from 'node:crypto'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { buildSite } from '../src/pipeline.js'
import { loadTemplates } from '../src/load/templates.js'
import type { SourceFile } from '../src/load/files.js'
import { scriptSafeJson } from '../src/render/metadata.js'
import { previewsFile, type ItemExcerpt } from '../src/render/previews.js'
import { attr, repoRoot, select, selectAll, texts } from './helpers.js'

const templates = await loadTemplates(path.join(repoRoot, 'templates'))

const report = (extra = '') => `title: Field notes on tea
subtitle: How people share a pot
date: 2024-03-05
version: "2"
language: en-GB
license: CC-BY-4.0
publisher: Tea Institute
description: A study of shared tea.
authors:
  - name: Ada Byron King
    orcid: 0000-0002-1825-0097
    affiliations: [Tea Institute]
  - name: Grace Hopper
${extra}`

const files: Record<string, string> = {
  'participants.yml': `participants:
  - id: P1
    role: Teacher of chemistry
    consent: named
    name: Rosalind Franklin
  - id: P2
    role: Night-shift nurse
    consent: anonymous
`,
  'index.md': '# Welcome\n\nThe start.\n',
  'themes/pots.md': `# Pots

:::finding{#shared-pot}
## One pot for everyone

Sharing a pot builds trust, as [](#r-rota) suggests.

> The pot is where we meet.
> — P2 (paraphrased)

> I bring the good leaves.
> — P1
:::
`,
  'next.md': `# Next

:::recommendation{#r-rota addresses="shared-pot" audience="Office managers" horizon="short"}
## Keep a tea rota

Someone fills the pot every morning.
:::
`,
}

function buildWith(options: { pdf?: boolean; reportExtra?: string; title?: string } = {}) {
  const all: Record<string, string> = { ...files, 'report.yml': report(options.reportExtra).replace('Field notes on tea', options.title ?? 'Field notes on tea') }
  const source = (name: string): SourceFile | undefined => (all[name] === undefined ? undefined : { path: name, display: `content/${name}`, text: all[name]! })
  const markdown = ['index.md', 'next.md', 'themes/pots.md'].map((name) => source(name)!)
  const site = buildSite({ report: source('report.yml'), participants: source('participants.yml'), markdown, messages: [] }, templates, { pdf: options.pdf ?? false })
  const page = (p: string): Root => {
    const html = site.files.get(p)
    if (html === undefined) throw new Error(`No page ${p}`)
    return fromHtml(html)
  }
  return { site, page }
}

const meta = (tree: Root, name: string) => selectAll(`meta[name="${name}"], meta[property="${name}"]`, tree).map((m) => String(m.properties['content']))

describe('citation and sharing tags', () => {
  const { site, page } = buildWith({ reportExtra: 'site_url: https://example.org/tea\n' })
  const chapter = page('themes/pots/index.html')
  const landing = page('index.html')

  it('builds without errors', () => {
    expect(site.messages.filter((m) => m.severity === 'error')).toEqual([])
  })

  it('carry Highwire citation_* tags on the landing page and the full report, and nowhere else', () => {
    const carrying = [...site.files.keys()].filter((f) => f.endsWith('.html') && meta(page(f), 'citation_title').length > 0)
    expect(carrying.sort()).toEqual(['full-report/index.html', 'index.html'])
    expect(meta(landing, 'citation_title')).toEqual(['Field notes on tea: How people share a pot'])
    expect(meta(landing, 'citation_author')).toEqual(['Ada Byron King', 'Grace Hopper'])
    expect(meta(landing, 'citation_author_orcid')).toEqual(['https://orcid.org/0000-0002-1825-0097'])
    expect(meta(landing, 'citation_publication_date')).toEqual(['2024/03/05'])
    expect(meta(landing, 'citation_publisher')).toEqual(['Tea Institute'])
  })

  it('carry Dublin Core with them, and Open Graph, Twitter and canonical URLs from site_url on every page', () => {
    expect(meta(landing, 'DC.title')).toEqual(['Field notes on tea: How people share a pot'])
    expect(meta(landing, 'DC.creator')).toEqual(['Ada Byron King', 'Grace Hopper'])
    expect(meta(landing, 'DC.date')).toEqual(['2024-03-05'])
    expect(meta(landing, 'DC.rights')).toEqual(['https://creativecommons.org/licenses/by/4.0/'])
    expect(meta(chapter, 'og:title')).toEqual(['Pots'])
    expect(meta(chapter, 'DC.title')).toEqual([])
    expect(meta(chapter, 'og:type')).toEqual(['article'])
    expect(meta(page('index.html'), 'og:type')).toEqual(['website'])
    expect(meta(chapter, 'og:url')).toEqual(['https://example.org/tea/themes/pots/'])
    expect(attr(chapter, 'link[rel="canonical"]', 'href')).toBe('https://example.org/tea/themes/pots/')
    expect(meta(chapter, 'twitter:card')).toEqual(['summary'])
    expect(meta(page('404.html'), 'robots')).toEqual(['noindex'])
    expect(meta(page('search/index.html'), 'robots')).toEqual(['noindex'])
  })

  it('describe the report as schema.org JSON-LD', () => {
    const scripts = selectAll('script[type="application/ld+json"]', landing)
    expect(scripts).toHaveLength(1)
    const data = JSON.parse(toString(scripts[0]!))
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Report',
      name: 'Field notes on tea',
      alternativeHeadline: 'How people share a pot',
      datePublished: '2024-03-05',
      inLanguage: 'en-GB',
      url: 'https://example.org/tea/',
      publisher: { '@type': 'Organization', name: 'Tea Institute' },
      license: 'https://creativecommons.org/licenses/by/4.0/',
    })
    expect(data.author.map((a: { name: string }) => a.name)).toEqual(['Ada Byron King', 'Grace Hopper'])
    expect(data.author[0].identifier).toBe('https://orcid.org/0000-0002-1825-0097')
  })

  it('cannot be broken out of by a title that closes the script element', () => {
    const title = 'Tea </script><script>alert(1)</script> & <!-- more'
    const { page: hostile } = buildWith({ title: JSON.stringify(title) })
    const tree = hostile('index.html')
    const scripts = selectAll('script', tree)
    expect(scripts.filter((s) => !s.properties['src'] && s.properties['type'] !== 'application/ld+json')).toEqual([])
    const data = JSON.parse(toString(select('script[type="application/ld+json"]', tree)!))
    expect(data.name).toBe(title)
    expect(scriptSafeJson({ a: '</script>\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u2028"}')
  })

  it('point to the PDF when the build makes one, as a full URL when the site URL is known', () => {
    const { page: withPdf } = buildWith({ pdf: true, reportExtra: 'site_url: https://example.org/tea\n' })
    expect(meta(withPdf('index.html'), 'citation_pdf_url')).toEqual(['https://example.org/tea/report.pdf'])
    expect(texts(withPdf('index.html'), '.download a[href="./report.pdf"]')).toEqual(['Download PDF'])
    const { page: local } = buildWith({ pdf: true })
    expect(meta(local('full-report/index.html'), 'citation_pdf_url')).toEqual(['../report.pdf'])
    // Without a PDF, the same page has neither the tag nor the link.
    expect(meta(landing, 'citation_title')).toHaveLength(1)
    expect(meta(landing, 'citation_pdf_url')).toEqual([])
    expect(texts(landing, '.download')).toEqual([])
  })
})

describe('files for machines', () => {
  it('CITATION.cff is valid YAML in format 1.2.0, built from report.yml', () => {
    const { site } = buildWith({ reportExtra: 'site_url: https://example.org/tea\n' })
    const cff = parseYaml(site.files.get('CITATION.cff')!)
    expect(cff).toMatchObject({
      'cff-version': '1.2.0',
      title: 'Field notes on tea: How people share a pot',
      'date-released': '2024-03-05',
      version: '2',
      license: 'CC-BY-4.0',
      url: 'https://example.org/tea/',
      abstract: 'A study of shared tea.',
    })
    expect(cff.authors).toEqual([
      { 'family-names': 'King', 'given-names': 'Ada Byron', affiliation: 'Tea Institute', orcid: 'https://orcid.org/0000-0002-1825-0097' },
      { 'family-names': 'Hopper', 'given-names': 'Grace' },
    ])
    expect(cff['preferred-citation']).toMatchObject({ type: 'report', year: 2024, institution: { name: 'Tea Institute' } })
  })

  it('sitemap.xml and robots.txt exist only with a site URL, listing every page but search and 404', () => {
    const { site } = buildWith({ reportExtra: 'site_url: https://example.org/tea\n' })
    const sitemap = fromHtml(site.files.get('sitemap.xml')!, { space: 'svg' })
    const locations = texts(sitemap, 'loc')
    expect(locations).toContain('https://example.org/tea/')
    expect(locations).toContain('https://example.org/tea/themes/pots/')
    expect(locations).toContain('https://example.org/tea/recommendations/')
    expect(locations.some((l) => l.includes('search') || l.includes('404'))).toBe(false)
    const pages = [...site.files.keys()].filter((f) => f.endsWith('index.html') && f !== 'search/index.html')
    expect(locations).toHaveLength(pages.length)
    expect(texts(sitemap, 'lastmod')[0]).toBe('2024-03-05')
    expect(site.files.get('robots.txt')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://example.org/tea/sitemap.xml\n')

    const { site: unhosted } = buildWith()
    expect(unhosted.files.has('sitemap.xml')).toBe(false)
    expect(unhosted.files.has('robots.txt')).toBe(false)
    expect(unhosted.files.has('CITATION.cff')).toBe(true)
  })

  it('previews.json gives each finding and recommendation its number, title, first paragraph and address', () => {
    const { site } = buildWith()
    const previews = JSON.parse(site.files.get('assets/previews.json')!).items
    expect(previews['shared-pot']).toEqual({
      kind: 'finding',
      label: 'Finding 1',
      title: 'One pot for everyone',
      summary: 'Sharing a pot builds trust, as Recommendation 1: Keep a tea rota suggests.',
      url: 'themes/pots/#shared-pot',
    })
    expect(previews['r-rota']).toMatchObject({ kind: 'recommendation', label: 'Recommendation 1', url: 'next/#r-rota' })
  })

  it('previews.json is the object JSON writes for its items by id, whatever the ids, and the same when items are kept from a build before', () => {
    const item = (id: string, title: string): ItemExcerpt => ({ kind: 'finding', id, number: 1, label: `Finding ${title}`, title, url: `a/#${id}`, chapter: 'A', summary: title === 'none' ? '' : `About ${title}.`, text: '' })
    const items = [item('f-b', 'B'), item('10', 'ten'), item('__proto__', 'proto'), item('2', 'two'), item('f-a', 'A'), item('f-b', 'B again'), item('4294967295', 'not an index'), item('007', 'none'), item('f-é', 'é\u2028')]
    // What JSON.stringify writes for the object Object.fromEntries makes: the file's meaning, spelled out.
    const expected = `${JSON.stringify({ items: Object.fromEntries(items.map((i) => [i.id, { kind: i.kind, label: i.label, title: i.title, summary: i.summary, url: i.url }])) })}\n`
    expect(previewsFile(items)).toBe(expected)
    expect(previewsFile(items)).toBe(expected)
    expect(previewsFile([])).toBe('{"items":{}}\n')

    // A session's file is taken again only while its entries are the same, in the same order.
    const memo = {}
    const fileOf = (list: ItemExcerpt[]) => `${JSON.stringify({ items: Object.fromEntries(list.map((i) => [i.id, { kind: i.kind, label: i.label, title: i.title, summary: i.summary, url: i.url }])) })}\n`
    expect(previewsFile(items, memo)).toBe(expected)
    expect(previewsFile(items.map((i) => ({ ...i })), memo)).toBe(expected)
    const retitled = items.map((i) => (i.id === 'f-a' ? item('f-a', 'A, renamed') : i))
    expect(previewsFile(retitled, memo)).toBe(fileOf(retitled))
    const reordered = [retitled[5]!, ...retitled.slice(0, 5), ...retitled.slice(6)]
    expect(previewsFile(reordered, memo)).toBe(fileOf(reordered))
    expect(previewsFile(reordered.slice(1), memo)).toBe(fileOf(reordered.slice(1)))
  })

  it('search excerpts carry quotes with label and role, and a name only with named consent', () => {
    const { site } = buildWith()
    const finding = site.items.find((item) => item.id === 'shared-pot')!
    expect(finding.text).toContain('The pot is where we meet. — P2, Night-shift nurse')
    expect(finding.text).toContain('I bring the good leaves. — P1, Rosalind Franklin, Teacher of chemistry')
    expect(site.items.find((item) => item.id === 'r-rota')!.text).toContain('Audience: Office managers. Horizon: short.')
  })
})

describe('pages for readers', () => {
  const { site, page } = buildWith()

  it('have a search form in the header that works as a plain GET to the search page', () => {
    const chapter = page('themes/pots/index.html')
    const form = select('header form[role="search"]', chapter)!
    expect(form.properties['action']).toBe('../../search/')
    expect(form.properties['method']).toBe('get')
    expect(attr(chapter, 'header form input[type="search"]', 'name')).toBe('q')
    const search = page('search/index.html')
    // The search page has the header, but its own form takes the place of the header's.
    expect(select('header.site-header nav.site-indexes', search)).toBeDefined()
    expect(select('main form#search-form[role="search"]', search)).toBeDefined()
    expect(select('header form[role="search"]', search)).toBeUndefined()
    expect(attr(search, 'main form#search-form input', 'name')).toBe('q')
    expect(texts(search, '#search-fallback')[0]).toContain('Searching needs JavaScript')
  })

  it('load the theme script blocking in the head, and the rest deferred', () => {
    const head = selectAll('head script[src]', page('themes/pots/index.html')).map((s) => [s.properties['src'], s.properties['defer'] ?? false])
    expect(head).toEqual([
      ['../../assets/theme.js', false],
      ['../../assets/site.js', true],
      ['../../assets/permalinks.js', true],
    ])
    expect(selectAll('head script[src$="table.js"]', page('recommendations/index.html'))).toHaveLength(1)
  })

  it('need nothing a strict Content-Security-Policy would block: no inline scripts but one allowed by its hash, no handlers or style attributes', () => {
    const problems: string[] = []
    const hashed: string[] = []
    for (const [file, html] of site.files) {
      if (!file.endsWith('.html')) continue
      const tree = fromHtml(html)
      const policy = String(select('meta[http-equiv="Content-Security-Policy"]', tree)?.properties['content'] ?? '')
      visit(tree, 'element', (node: Element) => {
        if (node.tagName === 'script' && !node.properties['src'] && node.properties['type'] !== 'application/ld+json') {
          // The 404 page of a site with no site_url finds the site's root with one script, allowed by its hash alone.
          const hash = `sha256-${createHash('sha256').update(toString(node)).digest('base64')}`
          if (policy.includes(`'${hash}'`) && !policy.includes('unsafe-inline')) hashed.push(file)
          else problems.push(`${file}: inline script`)
        }
        if (node.tagName === 'style') problems.push(`${file}: style element`)
        for (const key of Object.keys(node.properties)) {
          if (/^on[a-z]/i.test(key)) problems.push(`${file}: ${key} on <${node.tagName}>`)
          if (key === 'style') problems.push(`${file}: style attribute on <${node.tagName}>`)
        }
      })
    }
    expect(problems).toEqual([])
    expect(hashed).toEqual(['404.html'])
  })
})
