// MyST frames, diagrams, figures without an image argument, subfigures and
// embeds: MyST source in, the rendered pages read back as hast, with the
// policy each page carries and the messages at their places.

import type { Root } from 'hast'
import { describe, expect, it } from 'vitest'
import { HtmlValidate } from 'html-validate'
import { sanitize } from 'hast-util-sanitize'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import { cleanTree, sanitizeSchema } from '../src/render/sanitize.js'
import { contentPolicy, unsafeTemplateOutput } from '../src/theme/guard.js'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from '../src/build.js'
import { attr, buildInMemory, select, selectAll, tempDir, text, texts, where, writeFiles } from './helpers.js'

const myst = 'version: 1\nproject:\n  title: Media\n'

/** The page's Content-Security-Policy, as the browser reads it. */
function policyOf(tree: Root): string {
  const meta = selectAll('meta', tree).find((m) => String(m.properties['httpEquiv'] ?? '').toLowerCase() === 'content-security-policy')
  if (!meta) throw new Error('The page has no policy')
  return String(meta.properties['content'])
}

/** html-validate's recommended rules on every page of a site, as tests/content.test.ts holds the default report to. */
async function invalid(files: Map<string, string>): Promise<string[]> {
  const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-trailing-whitespace': 'off' } })
  const problems: string[] = []
  for (const [name, html] of files) {
    if (!name.endsWith('.html')) continue
    const report = await validator.validateString(html, name)
    for (const r of report.results) for (const m of r.messages) problems.push(`${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`)
  }
  return problems
}

function scripts(tree: Root): string[] {
  return selectAll('script[src]', tree).map((s) => String(s.properties['src']))
}

describe('{iframe}', () => {
  const site = buildInMemory({
    'myst.yml': myst,
    'index.md': '# Home\n\nNo frames here.\n',
    'video.md': [
      '# Video',
      '',
      ':::{iframe} https://www.youtube.com/embed/dQw4w9WgXcQ',
      ':label: vid-talk',
      ':width: 50%',
      'The keynote, recorded.',
      ':::',
      '',
      '```{iframe} https://player.vimeo.com/video/1234',
      ':width: 560px',
      ':title: A walk through the lab',
      '```',
      '',
      'See [](#vid-talk).',
      '',
    ].join('\n'),
    'bad.md': ['# Bad', '', '```{iframe} http://example.org/page', '```', '', '```{iframe} javascript:alert(1)', '```', '', '<iframe src="https://www.youtube.com/embed/x" sandbox="allow-scripts allow-same-origin" loading="lazy" title="Raw"></iframe>', ''].join('\n'),
  })

  it('renders a sandboxed, lazily loaded frame with a title, as a numbered figure when it has a caption', () => {
    const page = site.page('video/index.html')
    const figure = select('figure#vid-talk', page)!
    expect(figure).toBeDefined()
    const frames = selectAll('iframe', page)
    expect(frames.map((f) => [f.properties['src'], f.properties['title'], f.properties['width'], f.properties['loading'], f.properties['sandbox']])).toEqual([
      ['https://www.youtube.com/embed/dQw4w9WgXcQ', 'The keynote, recorded.', undefined, 'lazy', ['allow-scripts', 'allow-same-origin']],
      ['https://player.vimeo.com/video/1234', 'A walk through the lab', 560, 'lazy', ['allow-scripts', 'allow-same-origin']],
    ])
    expect(text(page, 'figure#vid-talk figcaption')).toBe('Figure 1: The keynote, recorded.')
    expect(attr(page, 'figure#vid-talk .embedded-page', 'className')).toBe('embedded-page width-50')
    expect(text(page, 'p:has(a[href="#vid-talk"])')).toBe('See Figure 1.')
  })

  it('lets the page load exactly the frames it shows, and no page without frames any', () => {
    expect(policyOf(site.page('video/index.html'))).toContain("; frame-src https://player.vimeo.com https://www.youtube.com;")
    expect(policyOf(site.page('video/index.html'))).toBe(contentPolicy(false, undefined, { frames: ['https://player.vimeo.com', 'https://www.youtube.com'], diagrams: false }))
    expect(policyOf(site.page('index.html'))).not.toContain('frame-src')
    expect(policyOf(site.page('bad/index.html'))).not.toContain('frame-src')
    // The full report shows the chapter, frames included.
    expect(policyOf(site.page('full-report/index.html'))).toContain('frame-src https://player.vimeo.com https://www.youtube.com;')
  })

  it('shows an address that is not an https page as a link or text, with a warning at the address', () => {
    const page = site.page('bad/index.html')
    expect(selectAll('iframe', page)).toEqual([])
    expect(texts(page, '.prose p')).toEqual(['http://example.org/page', 'javascript:alert(1)'])
    expect(attr(page, '.prose p a', 'href')).toBe('http://example.org/page')
    expect(selectAll('.prose a', page)).toHaveLength(1)
    const bad = site.messages.filter((m) => m.file === 'content/bad.md')
    expect(where(bad)).toEqual(['content/bad.md:3:13 iframe-source-valid', 'content/bad.md:6:13 iframe-source-valid', 'content/bad.md:9:1 html-sanitized'])
    expect(bad.map((m) => m.severity)).toEqual(['warning', 'warning', 'info'])
  })

  it('writes valid HTML', async () => {
    expect(await invalid(site.files)).toEqual([])
  })

  it('removes an <iframe> written as raw HTML, even in the directive\'s own form', () => {
    expect(site.messages.find((m) => m.ruleId === 'html-sanitized')?.reason).toBe('The `<iframe>` element was removed with everything inside it: it is not allowed in a report')
  })
})

describe('{mermaid}', () => {
  const source = 'flowchart LR\n  A[Interview] --> B{Theme?}\n  B -->|yes| C[Finding]'
  const site = buildInMemory({
    'myst.yml': myst,
    'index.md': '# Home\n\nText only.\n',
    'flow.md': ['# Flow', '', '```{mermaid}', source, '```', '', ':::{mermaid}', ':::', ''].join('\n'),
  })

  it('keeps the diagram source readable in a <pre>, for the script to replace', () => {
    const page = site.page('flow/index.html')
    expect(selectAll('.diagram-mermaid', page)).toHaveLength(1)
    expect(text(page, '.diagram-mermaid > pre.diagram-source > code')).toBe(source.replace(/\s+/g, ' '))
    const code = select('.diagram-mermaid code', page)!
    expect((code.children[0] as { value: string }).value).toBe(source)
  })

  it('loads Mermaid and lets it style its drawings only on pages with diagrams', () => {
    const flow = site.page('flow/index.html')
    expect(scripts(flow)).toEqual(['../assets/theme.js', '../assets/site.js', '../assets/permalinks.js', '../assets/mermaid.min.js', '../assets/diagrams.js'])
    expect(policyOf(flow)).toBe(contentPolicy(false, undefined, { frames: [], diagrams: true }))
    expect(policyOf(flow)).toContain("style-src 'self' 'unsafe-inline';")
    const home = site.page('index.html')
    expect(scripts(home)).toEqual(['./assets/theme.js', './assets/site.js', './assets/permalinks.js'])
    expect(policyOf(home)).toContain("style-src 'self';")
    expect(scripts(site.page('full-report/index.html'))).toContain('../assets/mermaid.min.js')
  })

  it('writes valid HTML', async () => {
    expect(await invalid(site.files)).toEqual([])
  })

  it('warns about an empty diagram at its fence', () => {
    expect(where(site.messages)).toEqual(['content/flow.md:9:1 directive-has-content'])
  })
})

describe('{figure} without an image argument', () => {
  const site = buildInMemory({
    'myst.yml': myst,
    'index.md': [
      '# Home',
      '',
      ':::{figure}',
      ':label: fig-pair',
      '![Before the change](before.png)',
      '![After the change](after.png)',
      '',
      'Two views of the queue.',
      '',
      'Both taken in May.',
      ':::',
      '',
      '::::{figure}',
      ':label: fig-nested',
      ':::{figure} one.png',
      ':label: fig-one',
      'The first.',
      ':::',
      ':::{iframe} https://www.youtube.com/embed/abc',
      ':::',
      'A panel and a video.',
      '::::',
      '',
      ':::{figure}',
      ':label: fig-table',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      'A table as a figure.',
      ':::',
      '',
      ':::{figure}',
      'Only words.',
      ':::',
      '',
      'See [](#fig-pair), [](#fig-one) and [](#fig-table); {numref}`Panel %s <fig-one>`.',
      '',
    ].join('\n'),
    'before.png': 'x',
    'after.png': 'x',
    'one.png': 'x',
  })
  const page = site.page('index.html')

  it('makes images in the body subfigures lettered (a), (b), with their alt text as caption', () => {
    expect(texts(page, '#fig-pair > figure.subfigure > figcaption')).toEqual(['(a) Before the change', '(b) After the change'])
    expect(selectAll('#fig-pair > figure.subfigure img', page).map((i) => i.properties['src'])).toEqual(['before.png', 'after.png'])
    expect(text(page, '#fig-pair > figcaption')).toBe('Figure 1: Two views of the queue.')
    expect(text(page, '#fig-pair > p')).toBe('Both taken in May.')
  })

  it('letters nested figures and frames as subfigures, and links to a subfigure by its letter', () => {
    expect(texts(page, '#fig-nested > figure.subfigure > figcaption')).toEqual(['(a) The first.', '(b)'])
    expect(select('#fig-nested > figure.subfigure#fig-one', page)).toBeDefined()
    expect(attr(page, '#fig-nested > figure.subfigure iframe', 'sandbox')).toBe('allow-scripts allow-same-origin')
    expect(text(page, '#fig-nested > figcaption')).toBe('Figure 2: A panel and a video.')
    expect(texts(page, 'p:has(a[href="#fig-one"]) a')).toEqual(['Figure 1', 'Figure 2a', 'Figure 3', 'Panel 2'])
  })

  it('shows a table as the figure, with the caption after it', () => {
    expect(select('#fig-table table', page)).toBeDefined()
    expect(text(page, '#fig-table > figcaption')).toBe('Figure 3: A table as a figure.')
  })

  it('writes valid HTML', async () => {
    expect(await invalid(site.files)).toEqual([])
  })

  it('warns about a figure with nothing to show', () => {
    expect(where(site.messages)).toEqual(['content/index.md:33:1 directive-has-content'])
  })
})

describe('embeds', () => {
  const files = {
    'myst.yml': myst,
    'index.md': ['# Home', '', '```{figure} img/chart.png', ':label: fig-chart', 'Waiting times.', '```', '', '(note-block)=', 'A labelled paragraph with a [link](other.md).', ''].join('\n'),
    'other.md': '# Other\n\nText.\n',
    'sub/again.md': [
      '# Again',
      '',
      '![](#fig-chart)',
      '',
      ':::{figure} #fig-chart',
      ':label: fig-again',
      'The same chart, shown again.',
      ':::',
      '',
      '```{embed} #note-block',
      '```',
      '',
      '![](#nowhere)',
      '',
      'See [](#fig-again).',
      '',
    ].join('\n'),
    'img/chart.png': 'x',
  }
  const site = buildInMemory(files)
  const page = site.page('sub/again/index.html')

  it('shows the same copies when pages are read and written on worker threads', async () => {
    const dir = await tempDir()
    const found = { ...files, 'sub/again.md': files['sub/again.md'].replace('![](#nowhere)\n\n', '') }
    await writeFiles(path.join(dir, 'content'), found)
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), threads: 2, cache: false })
    expect(result.messages).toEqual([])
    const prose = (html: string) => toHtml(select('.prose', fromHtml(html))!)
    const threaded = prose(await readFile(path.join(dir, 'dist', 'sub', 'again', 'index.html'), 'utf8'))
    expect(threaded).toContain('<div class="embed"><figure class="numbered numbered-figure"><img src="../../img/chart.png"')
    expect(threaded).toBe(prose(buildInMemory(found).files.get('sub/again/index.html')!))
  })

  it('shows the labelled block again with its number, without its anchor, with addresses from the new page', () => {
    const copies = selectAll('.prose > .embed > figure', page)
    expect(copies).toHaveLength(1)
    expect(copies[0]!.properties['id']).toBeUndefined()
    expect(text(page, '.prose > .embed > figure > figcaption')).toBe('Figure 1: Waiting times.')
    expect(attr(page, '.prose > .embed > figure img', 'src')).toBe('../../img/chart.png')
    expect(selectAll('[id="fig-chart"]', page)).toEqual([])
  })

  it('puts the block into a figure of its own with `{figure} #label`', () => {
    expect(text(page, '#fig-again > figcaption')).toBe('Figure 2: The same chart, shown again.')
    expect(text(page, '#fig-again > .embed > figure > figcaption')).toBe('Figure 1: Waiting times.')
    expect(text(page, 'p:has(a[href="#fig-again"])')).toBe('See Figure 2.')
  })

  it('embeds any labelled block, its links made to work from where it is shown', () => {
    expect(text(page, '.prose > div.embed > div.labelled')).toBe('A labelled paragraph with a link.')
    expect(attr(page, '.prose > div.embed > div.labelled a', 'href')).toBe('../../other/')
  })

  it('writes valid HTML, with no id twice on a page', async () => {
    expect(await invalid(site.files)).toEqual([])
  })

  it('reports a label that nothing has, at the embed', () => {
    expect(where(site.messages)).toEqual(['content/sub/again.md:13:1 reference-target-exists'])
    // As mystmd builds on, a warning in a MyST project (docs/myst.md, Severities).
    expect(site.messages[0]!.severity).toBe('warning')
  })
})

describe('the template guard', () => {
  it('accepts an overridden page whose policy names its own sandboxed frames, and not one that names others', () => {
    const page = (policy: string, body: string) =>
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${policy}"></head><body>${body}</body></html>`
    const frame = '<iframe src="https://www.youtube.com/embed/x" title="t" loading="lazy" sandbox="allow-scripts allow-same-origin"></iframe>'
    const framed = contentPolicy(false, undefined, { frames: ['https://www.youtube.com'], diagrams: false })
    expect(unsafeTemplateOutput('a/index.html', page(framed, frame))).toEqual([])
    expect(unsafeTemplateOutput('a/index.html', page(framed, ''))).toEqual(["its Content-Security-Policy is not the site's own", "it does not carry the site's Content-Security-Policy"])
    // A frame that is not sandboxed as the sanitizer makes it earns no frame-src.
    expect(unsafeTemplateOutput('a/index.html', page(framed, frame.replace(' sandbox="allow-scripts allow-same-origin"', '')))).toContain("its Content-Security-Policy is not the site's own")
  })
})

describe('the sanitizer and frames', () => {
  const frame = (src: string) => ({ type: 'frame' as const, src, title: 'A talk', width: 400 })
  const clean = (children: Root['children']) => toHtml(cleanTree({ type: 'root', children }))

  it("makes the directive's frame into the one <iframe> form, and drops one whose address is not an https page", () => {
    expect(clean([frame('https://www.youtube.com/embed/x')])).toBe(
      '<iframe src="https://www.youtube.com/embed/x" title="A talk" loading="lazy" sandbox="allow-scripts allow-same-origin" width="400"></iframe>',
    )
    expect(clean([frame('http://www.youtube.com/embed/x'), frame('javascript:alert(1)'), frame('https://a;b.example/'), frame('https://user@example.org/')])).toBe('')
  })

  it('removes every <iframe> element, whatever its attributes, with its content', () => {
    const element = { type: 'element' as const, tagName: 'iframe', properties: { src: 'https://www.youtube.com/embed/x', title: 't', loading: 'lazy', sandbox: ['allow-scripts', 'allow-same-origin'] }, children: [{ type: 'text' as const, value: 'inside' }] }
    expect(clean([{ type: 'element', tagName: 'p', properties: {}, children: [element] }])).toBe('<p></p>')
  })

  it('keeps nothing of an <iframe> but its address, title, width, lazy loading and the two sandbox flags, and always sandboxes it', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'iframe',
          properties: { src: 'https://example.org/', title: 't', srcDoc: '<script>1</script>', allow: 'camera', sandbox: ['allow-scripts', 'allow-top-navigation', 'allow-same-origin', 'allow-popups'], loading: 'eager', name: 'x', onLoad: 'x()' },
          children: [],
        },
        { type: 'element', tagName: 'iframe', properties: { src: 'https://example.org/' }, children: [] },
      ],
    }
    expect(toHtml(sanitize(tree, sanitizeSchema))).toBe(
      '<iframe src="https://example.org/" title="t" sandbox="allow-scripts allow-same-origin" loading="lazy"></iframe><iframe src="https://example.org/" sandbox="allow-scripts allow-same-origin" loading="lazy"></iframe>',
    )
  })
})
