// The MyST dialect, one page at a time: directives, roles, targets, blocks,
// comments and math, and the messages for what it does not know.

import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import type { Cite } from '../src/cite/nodes.js'
import type { Callout, Finding, Quote, Recommendation } from '../src/markdown/nodes.js'
import type { Container, DisplayMath, Figure, InlineElement, InlineMath } from '../src/myst/nodes.js'
import { parseMystPage } from '../src/myst/parse.js'
import type { SourceFile } from '../src/load/files.js'
import { sortMessages } from '../src/messages.js'
import { where } from './helpers.js'

const file = (path: string, text: string): SourceFile => ({ path, display: `content/${path}`, text })
const parse = (text: string, others: SourceFile[] = []) =>
  parseMystPage(file('page.md', text), { files: new Map([...others, file('page.md', text)].map((f) => [f.path, f])) })

function find<T>(tree: Root, type: string): T[] {
  const found: T[] = []
  const walk = (node: { type: string; children?: unknown[] }) => {
    if (node.type === type) found.push(node as T)
    for (const child of (node.children ?? []) as { type: string }[]) walk(child)
  }
  walk(tree)
  return found
}

const textOf = (node: unknown): string => {
  const n = node as { value?: string; children?: unknown[] }
  return typeof n.value === 'string' ? n.value : (n.children ?? []).map(textOf).join('')
}

describe('MyST directives', () => {
  it('reads backtick and colon fences, with a title argument, options and a body', () => {
    const { tree, messages } = parse(
      ['```{warning} Mind the gap', 'Body one.', '```', '', ':::{admonition} Custom', ':class: tip', 'Body two.', ':::', ''].join('\n'),
    )
    expect(messages).toEqual([])
    const callouts = find<Callout>(tree, 'callout')
    expect(callouts.map((c) => [c.kind, textOf({ children: c.title }), textOf(c)])).toEqual([
      ['warning', 'Mind the gap', 'Body one.'],
      ['tip', 'Custom', 'Body two.'],
    ])
  })

  it('gives every MyST admonition kind its own callout, and folds a dropdown', () => {
    const kinds = ['note', 'tip', 'hint', 'important', 'warning', 'caution', 'attention', 'danger', 'error', 'seealso']
    const { tree } = parse(kinds.map((k) => `\`\`\`{${k}}\nText.\n\`\`\`\n`).join('\n') + '\n:::{note} Folded\n:class: dropdown\nHidden.\n:::\n')
    const callouts = find<Callout>(tree, 'callout')
    expect(callouts.map((c) => c.kind)).toEqual([...kinds, 'note'])
    expect(callouts.at(-1)?.dropdown).toBe('closed')
    expect(callouts.slice(0, -1).every((c) => c.dropdown === undefined)).toBe(true)
  })

  it('nests fences by length, and leaves a fence inside a code sample alone', () => {
    const { tree, messages } = parse(
      [
        '::::{important} Outer',
        ':::{tip} Inner',
        'Deep.',
        ':::',
        'After the inner one.',
        '::::',
        '',
        '```markdown',
        ':::{note}',
        'Not a directive.',
        ':::',
        '```',
        '',
      ].join('\n'),
    )
    expect(messages).toEqual([])
    const [outer] = find<Callout>(tree, 'callout')
    expect(outer?.kind).toBe('important')
    expect(outer?.children.map((c) => c.type)).toEqual(['callout', 'paragraph'])
    const code = find<{ lang: string; value: string }>(tree, 'code')
    expect(code).toEqual([expect.objectContaining({ lang: 'markdown', value: ':::{note}\nNot a directive.\n:::' })])
  })

  it('reads directives inside list items and blockquotes', () => {
    const { tree, messages } = parse('- One\n\n  :::{tip} In a list\n  Body $x$.\n  :::\n- Two\n\n> :::{note}\n> In a quote.\n> :::\n')
    expect(messages.filter((m) => m.ruleId !== 'math-renders')).toEqual([])
    const callouts = find<Callout>(tree, 'callout')
    expect(callouts.map((c) => [c.kind, textOf(c)])).toEqual([
      ['tip', 'Body x.'],
      ['note', 'In a quote.'],
    ])
    expect(find<InlineMath>(tree, 'inlineMath')[0]?.position?.start).toEqual(expect.objectContaining({ line: 4, column: 8 }))
  })

  it('reports a directive that is never closed at its opening line', () => {
    const { messages } = parse('Intro.\n\n:::{note}\nNever closed.\n')
    expect(where(messages)).toEqual(['content/page.md:3:1 directive-closed'])
  })

  it('reports unknown directives and roles at their lines, and keeps them as written, as code, as MyST does', () => {
    const { tree, messages } = parse(['Text {mystery}`kept words` here.', '', '```{sparkle} An argument', ':size: 3', 'Kept *body*.', '```', ''].join('\n'))
    expect(where(sortMessages(messages))).toEqual(['content/page.md:1:6 role-known', 'content/page.md:3:1 directive-known'])
    expect(messages.map((m) => m.severity)).toEqual(['warning', 'warning'])
    expect(find(tree, 'paragraph').map(textOf)).toEqual(['Text {mystery}kept words here.'])
    const [role] = find<InlineElement>(tree, 'inlineElement')
    expect(role?.className).toEqual(['role', 'unhandled'])
    expect(role?.children.map((c) => [c.type, textOf(c)])).toEqual([
      ['inlineCode', '{mystery}'],
      ['inlineCode', 'kept words'],
    ])
    const [directive] = find<Container>(tree, 'container')
    expect(directive?.className).toEqual(['directive', 'unhandled'])
    expect(directive?.title?.map((c) => [c.type, textOf(c)])).toEqual([
      ['inlineCode', '{sparkle}'],
      ['text', ' '],
      ['inlineCode', 'An argument'],
    ])
    expect(find<{ value: string }>(directive as never, 'code').map((c) => c.value)).toEqual([':size: 3\nKept *body*.'])
  })

  it('warns about a table directive with no table and a glossary with no terms, at their opening lines', () => {
    const { messages } = parse(['Intro.', '', '```{table} Interviews by role', 'Only a sentence.', '```', '', '  ```{glossary}', '  ```', ''].join('\n'))
    expect(where(sortMessages(messages))).toEqual(['content/page.md:3:1 directive-has-content', 'content/page.md:7:3 directive-has-content'])
    expect(messages.map((m) => m.severity)).toEqual(['warning', 'warning'])
    expect(messages.map((m) => m.hint)).toEqual([
      'Write a table with pipes (`| a | b |`) inside the directive.',
      'Write each term on its own line, followed by its definition on a line starting with `: `.',
    ])
  })

  it('reports an option the directive does not use, at its line', () => {
    const { messages } = parse('```{note}\n:colour: red\nText.\n```\n')
    expect(where(messages)).toEqual(['content/page.md:2:1 directive-option-known'])
  })

  it('makes numbered figures, tables and code with their captions and labels', () => {
    const { tree, messages } = parse(
      [
        '```{figure} chart.png',
        ':label: fig-one',
        '',
        'The caption.',
        '',
        'A legend.',
        '```',
        '',
        '```{table} Table caption',
        ':name: tbl-one',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 |',
        '```',
        '',
        '```{csv-table} CSV caption',
        ':header: "x", "y"',
        '',
        '"one, two", 3',
        '```',
        '',
        '```{code-block} python',
        ':caption: Some code',
        'print(1)',
        '```',
        '',
      ].join('\n'),
    )
    expect(messages).toEqual([])
    const figures = find<Figure>(tree, 'figure')
    expect(figures.map((f) => [f.kind, f.label, textOf({ children: f.caption })])).toEqual([
      ['figure', 'fig-one', 'The caption.'],
      ['table', 'tbl-one', 'Table caption'],
      ['table', undefined, 'CSV caption'],
      ['code', undefined, 'Some code'],
    ])
    const [image] = find<{ url: string; alt: string }>(tree, 'image')
    expect(image).toEqual(expect.objectContaining({ url: 'chart.png', alt: 'The caption.' }))
    const csv = find<{ children: unknown[] }>(figures[2] as unknown as Root, 'tableRow').map((row) => row.children.map(textOf))
    expect(csv).toEqual([
      ['x', 'y'],
      ['one, two', '3'],
    ])
    expect(find<{ value: string }>(tree, 'code').map((c) => c.value)).toEqual(['print(1)'])
  })

  it('reads a glossary into terms with anchors and their definitions', () => {
    const { tree } = parse('```{glossary}\nHub\n: A shared server.\n\nKernel\n: Runs the code.\n  Over two lines.\n```\n')
    const entries = find<Container>(tree, 'container').filter((c) => c.tagName === 'dt' || c.tagName === 'dd')
    expect(entries.map((c) => [c.tagName, c.label ?? null, c.tagName === 'dt' ? textOf({ children: c.title }) : textOf(c)])).toEqual([
      ['dt', 'term-hub', 'Hub'],
      ['dd', null, 'A shared server.'],
      ['dt', 'term-kernel', 'Kernel'],
      ['dd', null, 'Runs the code.\nOver two lines.'],
    ])
  })

  it('includes another file in place, and refuses files outside the folder and circles', () => {
    const snippet = file('parts/snippet.md', 'Included **text**.\n')
    const loop = file('parts/loop.md', '```{include} loop.md\n```\n')
    const { tree, messages } = parse(
      ['```{include} parts/snippet.md', '```', '', '```{include} ../secret.md', '```', '', '```{include} parts/loop.md', '```', ''].join('\n'),
      [snippet, loop],
    )
    expect(find(tree, 'paragraph').map(textOf)).toEqual(['Included text.'])
    expect(where(messages)).toEqual(['content/page.md:4:14 path-inside-project', 'content/parts/loop.md:1:14 include-file-exists'])
    expect(messages[0]?.reason).toContain('outside the content folder')
    expect(messages[1]?.reason).toContain('page.md → parts/loop.md → parts/loop.md')
  })

  it('reads quotes, roles and citations of an included file against that file, and places them at the include', () => {
    const snippet = file('parts/voices.md', 'Intro line.\n\n> Said well.\n> -- Ana\n\nWith {sub}`x` and [@key].\n')
    const { tree, messages } = parse('# Page\n\nText.\n\n```{include} parts/voices.md\n```\n', [snippet])
    expect(messages).toEqual([])
    const [quote] = find<Quote>(tree, 'quote')
    expect([quote?.attribution.text, quote?.attribution.place]).toEqual(['Ana', { line: 5, column: 1 }])
    expect(find<InlineElement>(tree, 'inlineElement').map(textOf)).toEqual(['x'])
    expect(find<Cite>(tree, 'cite').map((c) => c.items[0]?.key)).toEqual(['key'])
    expect(find(tree, 'paragraph').map((p) => (p as { position?: { start: { line: number } } }).position?.start.line)).toEqual([3, 5, 5, 5])
  })

  it('makes our findings and recommendations from their MyST form', () => {
    const { tree, messages } = parse(
      [
        ':::{finding}',
        ':label: slow-review',
        '## Reviews wait',
        'Text.',
        ':::',
        '',
        ':::{recommendation} Share the work',
        ':label: r-rota',
        ':addresses: slow-review other',
        ':horizon: short soon',
        'Body.',
        ':::',
        '',
        ':::{finding}',
        '## No label',
        ':::',
        '',
      ].join('\n'),
    )
    const [finding] = find<Finding>(tree, 'finding')
    expect([finding?.id, finding?.titleText, finding?.depth]).toEqual(['slow-review', 'Reviews wait', 2])
    const [rec] = find<Recommendation>(tree, 'recommendation')
    expect([rec?.id, rec?.titleText, rec?.horizons]).toEqual(['r-rota', 'Share the work', ['short']])
    expect(rec?.addresses).toEqual([
      { id: 'slow-review', place: { line: 9, column: 13 } },
      { id: 'other', place: { line: 9, column: 25 } },
    ])
    expect(where(sortMessages(messages))).toEqual(['content/page.md:10:17 horizon-valid', 'content/page.md:14:1 directive-id-present'])
  })

  it('turns an epigraph with a dashed last line into a quote with its attribution', () => {
    const { tree } = parse('```{epigraph}\nWords worth keeping.\n\n-- A maintainer\n```\n\n> Said in passing.\n> — Somebody\n')
    const quotes = find<Quote>(tree, 'quote')
    expect(quotes.map((q) => [q.attribution.text, textOf(q)])).toEqual([
      ['A maintainer', 'Words worth keeping.'],
      ['Somebody', 'Said in passing.'],
    ])
  })
})

describe('MyST roles', () => {
  it('makes inline elements, math, cross-references and citations', () => {
    const { tree, messages } = parse(
      'H{sub}`2`O, x{sup}`2`, {kbd}`Ctrl`, {u}`under`, {abbr}`CSS (Cascading Style Sheets)`, {math}`a^2`, ' +
        '{ref}`sec-a`, {numref}`Fig. %s <fig-a>`, {doc}`other`, {term}`Hub`, {cite:t}`smith2020`.\n',
    )
    expect(messages.filter((m) => m.ruleId !== 'math-renders')).toEqual([])
    const elements = find<InlineElement>(tree, 'inlineElement')
    expect(elements.map((e) => [e.tagName, textOf(e), e.title ?? null])).toEqual([
      ['sub', '2', null],
      ['sup', '2', null],
      ['kbd', 'Ctrl', null],
      ['u', 'under', null],
      ['abbr', 'CSS', 'Cascading Style Sheets'],
    ])
    expect(find<InlineMath>(tree, 'inlineMath').map((m) => m.value)).toEqual(['a^2'])
    const links = find<{ url: string; data?: { template?: string } }>(tree, 'link')
    expect(links.map((l) => [l.url, l.data?.template ?? null])).toEqual([
      ['#sec-a', null],
      ['#fig-a', 'Fig. %s'],
      ['other.md', null],
      ['#term-hub', null],
    ])
    const [cite] = find<Cite>(tree, 'cite')
    expect([cite?.mode, cite?.items.map((i) => i.key)]).toEqual(['narrative', ['smith2020']])
  })
})

describe('MyST structure and math', () => {
  it('drops % comments, and labels the block after (label)=', () => {
    const { tree, headings, messages } = parse(
      ['(intro)=', '## Introduction', '', '% A note to ourselves.', 'Shown.', '', '(para)=', 'A labelled paragraph.', '', '(nothing)=', ''].join('\n'),
    )
    expect(headings.map((h) => h.id)).toEqual(['intro'])
    expect(find(tree, 'paragraph').map(textOf)).toEqual(['Shown.', 'A labelled paragraph.'])
    expect(find<Container>(tree, 'container').map((c) => c.label)).toEqual(['para'])
    expect(where(messages)).toEqual(['content/page.md:10:1 target-labels-block'])
  })

  it('moves the +++ abstract part to the top of its page', () => {
    const { tree, messages } = parse(['Opening words.', '', '+++ {"part": "abstract"}', 'The abstract.', '', '+++', 'Main text.', '', '+++ {bad json', 'More.', ''].join('\n'))
    const first = tree.children[0] as Container
    expect([first.type, first.data?.part, textOf(first)]).toEqual(['container', 'abstract', 'The abstract.'])
    expect(tree.children.slice(1).map(textOf)).toEqual(['Opening words.', 'Main text.', 'More.'])
    expect(where(messages)).toEqual(['content/page.md:9:1 value-type-valid'])
  })

  it('reads $…$ and $$…$$ as math, but not prices, escaped dollars or code', () => {
    const { tree } = parse(
      ['Inline $a_1 * b_2$ and `$not$` and \\$5, also $5 and $10.', '', '$$ x = 1 $$', '', '$$', 'y = 2', '$$ (eq-y)', '', '```{math}', ':label: eq-z', 'z = 3', '```', ''].join('\n'),
    )
    expect(find<InlineMath>(tree, 'inlineMath').map((m) => m.value)).toEqual(['a_1 * b_2'])
    expect(find<DisplayMath>(tree, 'math').map((m) => [m.value, m.label ?? null])).toEqual([
      ['x = 1', null],
      ['y = 2', 'eq-y'],
      ['z = 3', 'eq-z'],
    ])
    // The TeX is kept as written: no emphasis from `*`, no escapes taken out.
    expect(find(tree, 'paragraph').map(textOf)).toEqual(['Inline a_1 * b_2 and $not$ and $5, also $5 and $10.'])
  })

  it('accepts every front matter key MyST knows, without a word, and checks those it uses', () => {
    const ok = parse('---\ntitle: A page\nshort_title: Page\nnumbering:\n  figure: true\nkernelspec:\n  name: python3\njupytext:\n  formats: md:myst\ntags: [a]\nexports: []\n---\n# Heading\n')
    expect(ok.messages).toEqual([])
    expect(ok.frontMatter).toEqual({ title: 'A page', short_title: 'Page' })
    const bad = parse('---\ntitle: [1, 2]\n---\n')
    expect(where(bad.messages)).toEqual(['content/page.md:2:8 value-type-valid'])
  })
})
