// The HTML allowlist: what it removes, that each removal is reported at its
// place in the markdown, that --strict makes those reports errors, and which
// data: URLs pass.

import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { applyStrict, isFailing } from '../src/messages.js'
import { mathmlTagNames } from '../src/render/mathml.js'
import { sanitizeSchema } from '../src/render/sanitize.js'
import { buildInMemory, buildProject, select, selectAll, where } from './helpers.js'

const chapter = [
  '# Raw HTML', //                                                              1
  '', //                                                                        2
  'Hello <span onclick="alert(1)" title="kept">there</span>.', //               3
  '', //                                                                        4
  '<div class="box">', //                                                       5
  '<script>alert(2)</script>', //                                               6
  '<a href="javascript:alert(3)">a link</a>', //                                7
  '<iframe src="https://example.org/embed"></iframe>', //                       8
  '<p style="color: red">styled</p>', //                                        9
  '</div>', //                                                                  10
  '', //                                                                        11
  '[markdown link](javascript:alert(4)) and ![chart](data:image/svg+xml;base64,PHN2Zy8+)', // 12
  '', //                                                                        13
  '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a dot">', //              14
  '', //                                                                        15
  '<details><summary>More</summary>Hidden <kbd>text</kbd>.</details>', //       16
  '',
].join('\n')

function body(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'))
}

describe('sanitizing raw HTML', () => {
  const site = buildInMemory({ 'index.md': chapter })
  const page = site.page('index.html')
  const main = body(site.files.get('index.html')!)

  it('reports every element, attribute and URL it removes, at its line and column in the markdown', () => {
    expect(where(site.messages)).toEqual([
      'content/index.md:3:13 html-sanitized', // onclick
      'content/index.md:6:1 html-sanitized', // <script>
      'content/index.md:7:4 html-sanitized', // href="javascript:..."
      'content/index.md:8:1 html-sanitized', // <iframe>
      'content/index.md:9:4 html-sanitized', // style=
      'content/index.md:12:1 html-sanitized', // [markdown link](javascript:...)
      'content/index.md:12:42 html-sanitized', // ![chart](data:image/svg+xml...)
    ])
    const reasons = site.messages.map((m) => m.reason)
    expect(reasons[0]).toBe('The `onclick` attribute of `<span>` was removed: event handlers never run on a report page')
    expect(reasons[1]).toContain('`<script>` element was removed with everything inside it')
    expect(reasons[2]).toContain('`javascript:` URLs are not allowed')
    expect(reasons[6]).toContain('`data:` URLs are not allowed')
    expect(site.messages.every((m) => m.severity === 'info' && m.hint !== undefined)).toBe(true)
  })

  it('removes exactly what it reports and keeps the rest', () => {
    expect(main).not.toMatch(/onclick|<script|alert\(2\)|<iframe|style=|javascript:|svg\+xml/)
    expect(select('span[title="kept"]', page)).toBeDefined()
    const link = select('div.box > a', page)
    expect(link && toString(link)).toBe('a link')
    expect(link?.properties['href']).toBeUndefined()
    expect(select('details > summary', page)).toBeDefined()
    expect(select('kbd', page)).toBeDefined()
  })

  it('lets base64 PNG, JPEG, GIF and WebP images through as data: URLs, and nothing else', () => {
    const images = selectAll('main img', page).map((img) => img.properties['src'])
    expect(images).toContain('data:image/png;base64,iVBORw0KGgo=')
    expect(images.filter((src) => typeof src === 'string' && src.startsWith('data:'))).toEqual(['data:image/png;base64,iVBORw0KGgo='])
    const others = buildInMemory({
      'index.md': [
        '# D',
        '',
        '<a href="data:text/html,hello">a</a>',
        '<img src="data:text/html;base64,PGI+">',
        '<img src="DATA:image/svg+xml,<svg onload=alert(1)>">',
        '<img src="data:image/jpeg;base64,/9j/4AAQ" alt="j">',
        '<img src="data:image/webp;base64,UklGRg==" alt="w">',
        '',
      ].join('\n'),
    })
    expect(where(others.messages)).toEqual(['content/index.md:3:4 html-sanitized', 'content/index.md:4:6 html-sanitized', 'content/index.md:5:6 html-sanitized'])
    const kept = selectAll('main img', others.page('index.html')).map((img) => img.properties['src'])
    expect(kept.filter((src) => src !== undefined)).toEqual(['data:image/jpeg;base64,/9j/4AAQ', 'data:image/webp;base64,UklGRg=='])
  })

  it('does not report the sanitizer in the full report a second time', () => {
    expect(site.files.get('full-report/index.html')).not.toContain('alert(')
    expect(site.messages).toHaveLength(7)
  })

  it('reports nothing for markdown and HTML that the allowlist keeps', () => {
    const clean = buildInMemory({
      'index.md': '# Fine\n\n<abbr title="Research software engineer">RSE</abbr>, <mark>marked</mark>, <sup>1</sup>.\n\n[a page](https://example.org) [mail](mailto:a@example.org)\n',
    })
    expect(clean.messages).toEqual([])
  })
})

describe('the allowlist', () => {
  it('names every HTML element a page body may hold: no forms, buttons, frames, embeds, scripts or styles', () => {
    // MathML is listed in render/mathml.ts; everything else is here, so that adding an element is a decision this test records.
    const html = (sanitizeSchema.tagNames ?? []).filter((tag) => !mathmlTagNames.includes(tag)).sort()
    expect(html).toEqual([
      'a', 'abbr', 'aside', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em',
      'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p',
      'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'source', 'span', 'strike', 'strong', 'sub',
      'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var',
    ])
    expect(sanitizeSchema.strip).toEqual(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'textarea', 'select', 'title'])
    // URLs keep only the web's own schemes; `data:` is for images, and is narrowed further per element.
    expect(sanitizeSchema.protocols).toEqual({
      cite: ['http', 'https'],
      href: ['http', 'https', 'irc', 'ircs', 'mailto', 'xmpp'],
      longDesc: ['http', 'https'],
      src: ['http', 'https', 'data'],
    })
  })

  it('unwraps a form and its buttons, keeping their text, and leaves an input only as a disabled checkbox', () => {
    const site = buildInMemory({
      'index.md': '# F\n\n<form action="https://example.org/steal" method="post"><button formaction="https://example.org/go">Send</button> <input type="text" name="q" value="x"></form>\n',
    })
    const page = site.page('index.html')
    const prose = select('main .prose', page)
    expect(prose).toBeDefined()
    expect(toString(prose!)).toContain('Send')
    expect(selectAll('main form, main button', page)).toEqual([])
    const input = select('main .prose input', page)
    expect(input).toBeDefined()
    expect(input!.properties).toMatchObject({ type: 'checkbox', disabled: true })
    expect(input!.properties['name']).toBeUndefined()
    expect(where(site.messages)).toEqual([
      'content/index.md:3:1 html-sanitized',
      'content/index.md:3:56 html-sanitized',
      'content/index.md:3:121 html-sanitized',
      'content/index.md:3:133 html-sanitized',
    ])
    expect(site.messages.map((m) => m.reason)).toEqual([
      'The `<form>` element was removed: it is not allowed in a report',
      'The `<button>` element was removed: it is not allowed in a report',
      'The `type` attribute of `<input>` was removed',
      'The `name` attribute of `<input>` was removed',
    ])
  })
})

describe('--strict and sanitized HTML', () => {
  it('turns each html-sanitized note into an error, so that nothing is dropped silently', () => {
    const { messages } = buildInMemory({ 'index.md': '# T\n\n<b onclick="x()">bold</b>\n' })
    expect(isFailing(messages, true)).toBe(false)
    const strict = applyStrict(messages, true)
    expect(strict.map((m) => `${m.ruleId} ${m.severity}`)).toEqual(['html-sanitized error'])
    expect(applyStrict(messages, false)).toEqual(messages)
  })

  it('makes a real build fail and write nothing under --strict, and succeed without it', async () => {
    const files = { 'index.md': '# T\n\n<b onclick="x()">bold</b>\n' }
    const strict = await buildProject(files, { strict: true })
    expect(strict.result.written).toBe(false)
    expect(strict.result.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.ruleId}`)).toEqual([
      `${strict.result.messages[0]!.file}:3:4 error html-sanitized`,
    ])
    const relaxed = await buildProject(files)
    expect(relaxed.result.written).toBe(true)
    const bold = select('main b', await relaxed.page('index.html'))
    expect(bold && toString(bold)).toBe('bold')
    expect(bold?.properties['onClick']).toBeUndefined()
  })
})
