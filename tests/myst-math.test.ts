// MyST math as MyST reads it: bare AMS environments, `&` in `$$`, `\label`
// inside the TeX, and the project's macros, checked on the rendered pages.
// Needs the `temml` package: without it these assertions fail, they are not skipped.

import type { Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { describe, expect, it } from 'vitest'
import { buildInMemory, select, selectAll, texts, where } from './helpers.js'

/** The TeX each formula's MathML keeps as its annotation, as written there. */
const annotations = (page: Root) => selectAll('.prose div.math-display annotation', page).map((node) => toString(node))

const myst = 'version: 1\nproject:\n  title: Math\n'

describe('MyST math', () => {
  it('reads bare AMS environments as display math, numbering only the unstarred ones', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': [
        '# Home',
        '',
        'Before the first.',
        '\\begin{align*}',
        'a &= b \\\\',
        'c &= d',
        '\\end{align*}',
        'After it.',
        '',
        '\\begin{gather}',
        'x = 1',
        '\\end{gather}',
        '',
        '\\begin{equation}e = mc^2\\end{equation}',
        '',
        '\\begin{multline*}',
        'p + q \\\\',
        '= r',
        '\\end{multline*}',
        '',
        '\\begin{alignat}{2}',
        'a &= b & c &= d',
        '\\end{alignat}',
        '',
        '\\begin{equation*}',
        'f = g',
        '\\end{equation*}',
        '',
        '> \\begin{align}',
        '> u &= v',
        '> \\end{align}',
        '',
        '```',
        '\\begin{align}not math\\end{align}',
        '```',
        '',
      ].join('\n'),
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    const blocks = selectAll('.prose div.math-display', page)
    expect(blocks).toHaveLength(7)
    // The paragraph around the first is split in two, as MyST's amsmath rule does.
    expect(texts(page, '.prose > p')).toEqual(['Before the first.', 'After it.'])
    // Every one is MathML with the TeX as written kept as its annotation.
    expect(selectAll('.prose div.math-display > math[display=block]', page)).toHaveLength(7)
    expect(annotations(page)[0]).toBe('\\begin{align*}\na &= b \\\\\nc &= d\n\\end{align*}')
    // A numbered environment is drawn in its starred form: the block's one number is shown beside it.
    expect(annotations(page)[1]).toBe('\\begin{gather*}\nx = 1\n\\end{gather*}')
    expect(annotations(page)[2]).toBe('e = mc^2')
    // A starred environment has no number; the others are numbered in order, one number each.
    expect(blocks.map((b) => texts(b as never, '.equation-number')[0] ?? null)).toEqual([null, '(1)', '(2)', null, '(3)', null, '(4)'])
    // A fenced code block is never math.
    expect(texts(page, '.prose pre code')).toEqual(['\\begin{align}not math\\end{align}'])
  })

  it('aligns `$$` math that has `&` outside any environment', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': '# Home\n\n$$\na &= b \\\\\nc &= d\n$$\n\n$$ x & y $$\n\n$$\n\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}\n$$\n',
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(selectAll('.prose div.math-display', page)).toHaveLength(3)
    // Two aligned rows of two columns each, where Temml alone would stop at the first `&`.
    const rows = selectAll('.prose div.math-display:nth-of-type(1) > math > semantics > mtable > mtr', page)
    expect(rows).toHaveLength(2)
    expect(rows.map((row) => selectAll('mtd', row).length)).toEqual([2, 2])
    expect(annotations(page)).toEqual([
      '\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}',
      '\\begin{aligned}\nx & y\n\\end{aligned}',
      '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}',
    ])
  })

  it("uses a page's own macros from its front matter, with the project's", () => {
    const site = buildInMemory({
      'myst.yml': `${myst}  math:\n    '\\RR': '\\mathbb{R}'\n`,
      'index.md': ['---', 'math:', "  '\\pd': '\\frac{\\partial #1}{\\partial #2}'", '---', '# Home', '', '$$', '\\pd{u}{t} \\in \\RR', '$$', ''].join('\n'),
      'other.md': ['# Other', '', '$\\pd{u}{t}$', ''].join('\n'),
    })
    // The other page does not have the first page's macro.
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/other.md:3:1 math-renders'])
    const page = site.page('index.html')
    expect(selectAll('.prose math mfrac', page)).toHaveLength(1)
  })

  it('reads \\mbox, which MyST\'s renderers know, as text', () => {
    const site = buildInMemory({ 'myst.yml': myst, 'index.md': '# Home\n\n$a \\mbox{ if } b$\n' })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    expect(toString(select('.prose math mtext', site.page('index.html'))!).trim()).toBe('if')
  })

  it('reads an AMS environment that continues a list item as display math', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': ['# Home', '', '1. If they differ, then', '    \\begin{equation*}', '        U \\cap V = \\emptyset.', '    \\end{equation*}', '', 'Done.', '', '    \\begin{equation}', '    code, not math', '    \\end{equation}', ''].join('\n'),
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    const page = site.page('index.html')
    expect(annotations(page).map((tex) => tex.trim())).toEqual(['U \\cap V = \\emptyset.'])
    expect(select('.prose ol li div.math-display', page)).toBeDefined()
    // Four spaces after a blank line, outside a list, is still an indented code block.
    expect(toString(select('.prose pre', page)!)).toContain('code, not math')
  })

  it('makes a `$$` line a block only when a `$$` line closes it before a blank line, as MyST does', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': [
        '# Home',
        '',
        'By definition',
        '$$',
        'a = b$$ so the rest follows, with $c$.',
        '',
        'A lone $$ sign and text.',
        '',
        '$$',
        'd = e',
        '$$',
        '',
      ].join('\n'),
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    const page = site.page('index.html')
    // The first `$$` ends on a line of text: math in the paragraph, as MyST reads it; the second never closes.
    expect(selectAll('.prose p math annotation', page).map((node) => toString(node).trim())).toEqual(['a = b', 'c'])
    expect(texts(page, '.prose p').join(' ')).toContain('A lone $$ sign and text.')
    expect(annotations(page).map((tex) => tex.trim())).toEqual(['d = e'])
  })

  it('closes `$$` opened with its TeX on the same line at the next `$$` line, and keeps the blocks after it apart', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': ['# Home', '', '$$\\frac{a}{b}', '$$', '', 'Such a $P$ is given.', '', '$$', 'c = d', '$$', ''].join('\n'),
    })
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    const page = site.page('index.html')
    expect(annotations(page).map((tex) => tex.trim())).toEqual(['\\frac{a}{b}', 'c = d'])
    expect(selectAll('.prose math', page)).toHaveLength(3)
  })

  it('makes `\\label{…}` in the TeX a numbered target for links and {eq}', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': [
        '# Home',
        '',
        '$$',
        'E = mc^2 \\label{eq-energy}',
        '$$',
        '',
        '\\begin{align}',
        '\\label{eq-sum}',
        'a &= b + c',
        '\\end{align}',
        '',
        'See [](#eq-energy), {eq}`eq-sum` and [](other.md#eq-far).',
        '',
      ].join('\n'),
      'other.md': '# Other\n\n```{math}\n\\begin{equation}\\label{eq-far} y = x\\end{equation}\n```\n',
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(texts(page, '.prose div.math-display .equation-number')).toEqual(['(1)', '(2)'])
    expect(select('#eq-energy.math-display', page)).toBeDefined()
    expect(select('#eq-sum.math-display', page)).toBeDefined()
    expect(texts(page, '.prose p a')).toEqual(['(1)', '(2)', '(3)'])
    expect(selectAll('.prose p a', page).map((a) => a.properties['href'])).toEqual(['#eq-energy', '#eq-sum', './other/#eq-far'])
    // The label is taken out of the TeX.
    expect(annotations(page)).toEqual(['E = mc^2', '\\begin{align*}\n\na &= b + c\n\\end{align*}'])
    expect(select('#eq-far.math-display', site.page('other/index.html'))).toBeDefined()
  })

  it('shows a math directive with `:enumerated: false` without a number, and lets `:label:` win over `\\label`', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': '# Home\n\n```{math}\n:enumerated: false\na = b\n```\n\n```{math}\n:label: eq-given\n\\label{eq-inner} c = d\n```\n\nSee [](#eq-given).\n',
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(selectAll('.prose div.math-display', page).map((b) => [b.properties['id'] ?? null, texts(b as never, '.equation-number')])).toEqual([
      [null, []],
      ['eq-given', ['(1)']],
    ])
    expect(texts(page, '.prose p a')).toEqual(['(1)'])
  })

  it('reports a formula Temml cannot read at its line, and shows its TeX', () => {
    const site = buildInMemory({
      'myst.yml': myst,
      'index.md': '# Home\n\nText.\n\n\\begin{align*}\na &= \\nosuchmacro\n\\end{align*}\n',
    })
    expect(where(site.messages)).toEqual(['content/index.md:5:1 math-renders'])
    expect(selectAll('.prose pre.math-source', site.page('index.html')).map((node) => toString(node))).toEqual(['\\begin{align*}\na &= \\nosuchmacro\n\\end{align*}'])
  })
})
