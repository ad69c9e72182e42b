// The HTML allowlist: what it removes, that each removal is reported at its
// place in the markdown and says what was removed and why, that --strict makes
// those reports errors, and which data: URLs pass.

import type { Root } from 'hast'
import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { SourceLines } from '../src/markdown/source.js'
import { applyStrict, isFailing, type Message } from '../src/messages.js'
import { mathmlTagNames } from '../src/render/mathml.js'
import { auditTree, sanitizeSchema } from '../src/render/sanitize.js'
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

/** `line:column reason`, to compare what each message says as well as where. */
function said(messages: readonly Message[]): string[] {
  return messages.map((m) => `${m.line}:${m.column} ${m.reason}`)
}

const hints = {
  element: 'Use markdown or the HTML listed in SECURITY.md; scripts, styles, frames, forms and embeds are never published.',
  attribute: 'Event handlers, inline styles and unknown attributes are not published; see SECURITY.md for what is allowed.',
  url: 'Link with http(s), mailto or a relative path.',
  dataUrl: 'Only PNG, JPEG, GIF and WebP images may be inlined as data: URLs; save anything else as a file next to the chapter.',
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
      'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'iframe', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p',
      'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'source', 'span', 'strike', 'strong', 'sub',
      'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var',
    ])
    // An <iframe> element is removed with its content before the schema is applied; the schema keeps only the `{iframe}` directive's frames.
    expect(sanitizeSchema.strip).toEqual(['script', 'style', 'template', 'noscript', 'object', 'embed', 'textarea', 'select', 'title'])
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

  it('keeps a class on any element, and roles and ARIA labels, where the default schema would drop them', () => {
    const site = buildInMemory({
      'index.md': [
        '# Classes',
        '',
        '<div>',
        '<p><code class="highlight">x</code></p>',
        '<ul class="plain"><li class="done">a</li></ul>',
        '<span role="note" aria-label="Aside" aria-labelledby="t1" aria-hidden="true">s</span>',
        '</div>',
        '',
      ].join('\n'),
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(select('main .prose code.highlight', page)).toBeDefined()
    expect(select('main .prose ul.plain > li.done', page)).toBeDefined()
    expect(select('main .prose span[role="note"]', page)?.properties).toEqual({ role: 'note', ariaLabel: 'Aside', ariaLabelledBy: ['t1'], ariaHidden: 'true' })
  })

  it('keeps on a link only what link plugins add: `rel` with the values of a fixed list, and `target` only as `_blank`', () => {
    const site = buildInMemory({
      'index.md': [
        '# Links',
        '',
        '<a href="https://example.org/a" rel="noopener noreferrer nofollow external ugc sponsored" target="_blank">a</a>',
        '<a href="https://example.org/b" rel="me" target="frame">b</a>',
        '',
      ].join('\n'),
    })
    const links = selectAll('main .prose a', site.page('index.html'))
    expect(links.map((a) => a.properties)).toEqual([
      { href: 'https://example.org/a', rel: ['noopener', 'noreferrer', 'nofollow', 'external', 'ugc', 'sponsored'], target: '_blank' },
      // What is left is an empty `rel=""`, which asks nothing of the browser.
      { href: 'https://example.org/b', rel: [] },
    ])
    expect(said(site.messages)).toEqual(['4:33 The `rel` attribute of `<a>` was removed', '4:42 The `target` attribute of `<a>` was removed'])
  })

  it('removes a data: URL from every attribute but the src of an image, and reports it', () => {
    const site = buildInMemory({
      'index.md': [
        '# Data', //                                                               1
        '', //                                                                     2
        '<div>', //                                                                3
        '<span title="data:image/png;base64,AAAA">t</span>', //                    4
        '<img src="https://example.org/a.png" alt="data:image/png;base64,AAAA">', // 5
        '<div action="  data:text/html,hi">d</div>', //                            6
        '</div>',
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual([
      '4:7 The `title` attribute of `<span>` was removed',
      '5:38 The `alt` attribute of `<img>` was removed',
      '6:6 The URL `data:text/html,hi` in `action` of `<div>` was removed: `data:` URLs are not allowed here',
    ])
    expect(site.messages.map((m) => m.hint)).toEqual([hints.attribute, hints.attribute, hints.dataUrl])
    const page = site.page('index.html')
    expect(select('main .prose span', page)?.properties['title']).toBeUndefined()
    expect(select('main .prose img', page)?.properties).toEqual({ src: 'https://example.org/a.png' })
    expect(selectAll('main .prose div', page).map((div) => div.properties['action'])).toEqual([undefined, undefined])
  })

  it('takes as an inline image only a whole base64 raster data: URL, line breaks and all', () => {
    const site = buildInMemory({
      'index.md': [
        '# Inline', //                                                     1
        '', //                                                             2
        '<div>', //                                                        3
        '<img src="data:text/html,data:image/png;base64,AAAA" alt="after">', // 4
        '<img src="data:image/png;base64,AAAA#top" alt="junk">', //        5
        '<img src="data:image/png;base64,iVBORw0K', //                     6
        '  GgoAAAA=" alt="wrapped">', //                                   7
        '</div>',
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual([
      '4:6 The URL `data:text/html,data:image/png;base64,AAAA` in `src` of `<img>` was removed: `data:` URLs are not allowed here',
      '5:6 The URL `data:image/png;base64,AAAA#top` in `src` of `<img>` was removed: `data:` URLs are not allowed here',
    ])
    const images = selectAll('main .prose img', site.page('index.html')).map((img) => [img.properties['alt'], img.properties['src']])
    expect(images).toEqual([
      ['after', undefined],
      ['junk', undefined],
      ['wrapped', 'data:image/png;base64,iVBORw0K\n  GgoAAAA='],
    ])
  })

  it('keeps text that only mentions data:, in a title or a class', () => {
    const site = buildInMemory({
      'index.md': '# Mentions\n\n<abbr title="metadata: what the notes record">meta</abbr> and <span title="Raw data: 12 interviews" class="data:wide">raw</span>\n',
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(select('main .prose abbr', page)?.properties['title']).toBe('metadata: what the notes record')
    expect(select('main .prose span', page)?.properties).toEqual({ title: 'Raw data: 12 interviews', className: ['data:wide'] })
  })
})

describe('what each html-sanitized message says', () => {
  it('names the element, attribute or URL removed and why, with a hint on what to write instead', () => {
    const site = buildInMemory({
      'index.md': [
        '# Kinds', //                                                                          1
        '', //                                                                                 2
        '<form><b>Send</b></form>', //                                                         3
        '<object data="https://example.org/film.swf"><b onclick="x()">fallback</b></object>', // 4
        '<span onmouseover="x()">a</span>', //                                                 5
        '<p contenteditable="true" style="color: red">b</p>', //                               6
        '<a href="javascript:alert(1)">c</a>', //                                              7
        '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="d">', //                           8
        '',
      ].join('\n'),
    })
    expect(site.messages.map((m) => [`${m.line}:${m.column}`, m.reason, m.hint])).toEqual([
      ['3:1', 'The `<form>` element was removed: it is not allowed in a report', hints.element],
      // Nothing is reported inside an element that goes with its content.
      ['4:1', 'The `<object>` element was removed with everything inside it: it is not allowed in a report', hints.element],
      ['5:7', 'The `onmouseover` attribute of `<span>` was removed: event handlers never run on a report page', hints.attribute],
      ['6:4', 'The `contenteditable` attribute of `<p>` was removed', hints.attribute],
      ['6:27', 'The `style` attribute of `<p>` was removed', hints.attribute],
      ['7:4', 'The URL `javascript:alert(1)` in `href` of `<a>` was removed: `javascript:` URLs are not allowed here', hints.url],
      ['8:6', 'The URL `data:image/svg+xml;base64,PHN2Zy8+` in `src` of `<img>` was removed: `data:` URLs are not allowed here', hints.dataUrl],
    ])
    const prose = select('main .prose', site.page('index.html'))!
    expect(toString(prose)).toContain('Send')
    expect(toString(prose)).not.toContain('fallback')
  })

  it('reports a URL taken out of any attribute that holds one as a URL with its scheme, and a srcset that starts with a path as an attribute', () => {
    const site = buildInMemory({
      'index.md': [
        '# URLs', //                                                                                   1
        '', //                                                                                         2
        '<blockquote cite="ftp://example.org/source">q</blockquote>', //                               3
        '<img src="https://example.org/a.png" longdesc="ftp://example.org/desc" alt="a">', //          4
        '<span formaction="javascript:go()">f</span>', //                                              5
        '<img src="https://example.org/a.png" poster="https://example.org/p.png" alt="p">', //         6
        '<div background="https://example.org/bg.png">b</div>', //                                     7
        '<div data="https://example.org/film.swf">d</div>', //                                         8
        '<img src="https://example.org/a.png" srcset="https://example.org/a2.png 2x" alt="s">', //      9
        '<img src="a.png" srcset="a-small.png 1x, https://example.org/a-big.png 2x" alt="r">', //      10
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual([
      '3:13 The URL `ftp://example.org/source` in `cite` of `<blockquote>` was removed: `ftp:` URLs are not allowed here',
      '4:38 The URL `ftp://example.org/desc` in `longdesc` of `<img>` was removed: `ftp:` URLs are not allowed here',
      '5:7 The URL `javascript:go()` in `formaction` of `<span>` was removed: `javascript:` URLs are not allowed here',
      '6:38 The URL `https://example.org/p.png` in `poster` of `<img>` was removed: `https:` URLs are not allowed here',
      '7:6 The URL `https://example.org/bg.png` in `background` of `<div>` was removed: `https:` URLs are not allowed here',
      '8:6 The URL `https://example.org/film.swf` in `data` of `<div>` was removed: `https:` URLs are not allowed here',
      '9:38 The URL `https://example.org/a2.png 2x` in `srcset` of `<img>` was removed: `https:` URLs are not allowed here',
      '10:18 The `srcset` attribute of `<img>` was removed',
    ])
    expect(site.messages.map((m) => m.hint)).toEqual([...Array<string>(7).fill(hints.url), hints.attribute])
    const removed = selectAll('main .prose [cite], main .prose [longdesc], main .prose [formaction], main .prose [poster], main .prose [background], main .prose [data], main .prose [srcset]', site.page('index.html'))
    expect(removed).toEqual([])
  })

  it('reports an attribute it removes whatever its value, even the word `undefined`', () => {
    const site = buildInMemory({ 'index.md': '# U\n\n<span title="undefined" onclick="undefined">u</span>\n' })
    expect(said(site.messages)).toEqual(['3:25 The `onclick` attribute of `<span>` was removed: event handlers never run on a report page'])
  })

  it('quotes a URL of up to 60 characters whole and a longer one cut to 57 and an ellipsis, with each run of spaces as one', () => {
    const sixty = `javascript:void(0)//${'a'.repeat(40)}`
    expect(sixty).toHaveLength(60)
    const longer = `${sixty}b`
    const site = buildInMemory({
      'index.md': [
        '# Long', //                          1
        '', //                                2
        '<div>', //                           3
        `<a href="${sixty}">sixty</a>`, //    4
        `<a href="${longer}">more</a>`, //    5
        '<a href=" javascript:alert(1)', //   6
        '     + 2">spaced</a>', //            7
        '</div>',
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual([
      `4:4 The URL \`${sixty}\` in \`href\` of \`<a>\` was removed: \`javascript:\` URLs are not allowed here`,
      `5:4 The URL \`${longer.slice(0, 57)}...\` in \`href\` of \`<a>\` was removed: \`javascript:\` URLs are not allowed here`,
      '6:4 The URL `javascript:alert(1) + 2` in `href` of `<a>` was removed: `javascript:` URLs are not allowed here',
    ])
  })

  it('places an attribute written on a later line of its element at that line and column', () => {
    const site = buildInMemory({
      'index.md': [
        '# Places', //                                                         1
        '', //                                                                 2
        'Intro <span title="a"', //                                            3
        '  onclick="x()">b</span> and <span data-tone="warm">c</span>', //     4
        '', //                                                                 5
        '<img', //                                                             6
        '  src="https://example.org/a.png"', //                                7
        '  onerror="alert(1)" alt="x">', //                                    8
        '', //                                                                 9
        '<img src="https://example.org/b.png" alt="y"', //                     10
        'onload="alert(2)">', //                                               11
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual([
      '4:3 The `onclick` attribute of `<span>` was removed: event handlers never run on a report page',
      '4:36 The `data-tone` attribute of `<span>` was removed',
      '8:3 The `onerror` attribute of `<img>` was removed: event handlers never run on a report page',
      // At the very start of a continuation line too.
      '11:1 The `onload` attribute of `<img>` was removed: event handlers never run on a report page',
    ])
  })
})

describe('tables', () => {
  it('keeps tables from markdown and from raw HTML without a message, and reports an attribute removed from a cell', () => {
    const site = buildInMemory({
      'index.md': [
        '# Tables', //       1
        '', //               2
        '| Who | Said |', // 3
        '| --- | :--: |', // 4
        '| P1  | Yes  |', // 5
        '', //               6
        '<table><thead><tr><th scope="col">Who</th></tr></thead><tr><td colspan="2" onclick="x()">P1</td></tr></table>', // 7
        '',
      ].join('\n'),
    })
    expect(said(site.messages)).toEqual(['7:76 The `onclick` attribute of `<td>` was removed: event handlers never run on a report page'])
    const [markdown, raw] = selectAll('main .prose table', site.page('index.html'))
    expect(selectAll('th', markdown!).map((th) => [toString(th), th.properties['align']])).toEqual([
      ['Who', undefined],
      ['Said', 'center'],
    ])
    expect(select('th', raw!)?.properties).toEqual({ scope: 'col' })
    expect(select('tbody > tr > td', raw!)?.properties).toEqual({ colSpan: 2 })
  })
})

describe('auditing a tree that did not come from markdown', () => {
  // A handler or plugin can add elements without a position, and hast allows a property to be undefined or null.
  const source = new SourceLines('# T\n\n<div onclick="a()">\n</div>\n')
  const at = { start: { line: 3, column: 1 }, end: { line: 4, column: 7 } }

  it('reports an attribute of an element without a position at its nearest placed ancestor, or at the top of the file', () => {
    const tree: Root = {
      type: 'root',
      children: [
        { type: 'element', tagName: 'div', properties: { onClick: 'a()' }, position: at, children: [{ type: 'element', tagName: 'span', properties: { onClick: 'b()' }, children: [] }] },
        { type: 'element', tagName: 'b', properties: { style: 'color: red' }, children: [] },
      ],
    }
    expect(said(auditTree(tree, 'content/index.md', source))).toEqual([
      '3:6 The `onclick` attribute of `<div>` was removed: event handlers never run on a report page',
      // The ancestor's start, not its own `onclick`: the span is not on that line.
      '3:1 The `onclick` attribute of `<span>` was removed: event handlers never run on a report page',
      '1:1 The `style` attribute of `<b>` was removed',
    ])
  })

  it('takes a property that is undefined or null as absent, as the published HTML does', () => {
    const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'img', properties: { src: 'a.png', alt: undefined, dataCaption: null }, position: at, children: [] }] }
    expect(auditTree(tree, 'content/index.md', source)).toEqual([])
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
