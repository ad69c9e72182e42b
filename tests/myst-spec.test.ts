// MyST's own conformance cases (the `myst-spec` package: MyST source, and the
// mdast MyST's parser makes of it) run through our MyST parser. The two trees
// name some things differently, so both are first brought to one vocabulary;
// docs/myst.md ("Conformance with myst-spec") lists every step of that, and
// the reason for every case that still differs.

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { normalizeUri } from 'micromark-util-sanitize-uri'
import { describe, expect, it } from 'vitest'
import type { Element } from 'hast'
import { toString } from 'hast-util-to-string'
import { parseMystBody } from '../src/myst/parse.js'
import { buildInMemory, repoRoot, select, selectAll, texts, where } from './helpers.js'

interface SpecCase {
  title: string
  myst: string
  mdast: SpecNode
}

interface SpecNode {
  type: string
  children?: SpecNode[]
  [key: string]: unknown
}

const cases = createRequire(import.meta.url)('myst-spec/dist/myst.tests.json') as SpecCase[]

/** CommonMark's own examples, and myst-spec's cases of plain CommonMark; the rest are MyST's syntax. */
const isCommonMark = (c: SpecCase) => c.title.startsWith('cmark_spec') || c.title.startsWith('commonmark.')

// ---- One vocabulary for both trees ----

type Node = SpecNode

const clone = (node: unknown): Node => structuredClone(node) as Node

/** A label as written, less the white space around it. */
const labelOf = (label: string) => label.trim()

const admonitionKinds = ['note', 'tip', 'hint', 'important', 'warning', 'caution', 'attention', 'danger', 'error', 'seealso']

/**
 * MyST's tree, taken through the steps mystmd itself runs next, after parsing
 * and before rendering: directives and roles are replaced by what they made
 * (`liftMystDirectivesAndRoles`), a `(label)=` target names the node after it
 * (`mystTargets`), and a figure's image without alt text takes its caption's
 * text (`imageAltText`).
 */
function fromSpec(tree: Node): Node {
  const root = clone(tree)
  lift(root)
  const alt = (node: Node) => {
    if (node.type === 'container') {
      const caption = node.children?.find((c) => c.type === 'caption')?.children?.find((c) => c.type === 'paragraph')
      for (const image of node.children ?? []) if (image.type === 'image' && !image['alt'] && caption) image['alt'] = textOf(caption)
    }
    node.children?.forEach(alt)
  }
  alt(root)
  return root
}

function lift(node: Node): void {
  if (!node.children) return
  const children: Node[] = []
  for (const child of node.children) {
    if (child.type === 'mystDirective' || child.type === 'mystRole') children.push(...(child.children ?? []))
    else children.push(child)
  }
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!
    const next = children[i + 1]
    if (child.type === 'mystTarget' && next) next['label'] = String(child['label'])
  }
  node.children = children.filter((c, i) => c.type !== 'mystTarget' || !children[i + 1])
  node.children.forEach(lift)
}

const textOf = (node: Node): string => (typeof node['value'] === 'string' ? node['value'] : (node.children ?? []).map(textOf).join(''))

/** MyST's node, in the shared vocabulary. */
function canonSpec(node: Node): Node[] {
  const children = () => (node.children ?? []).flatMap(canonSpec)
  switch (node.type) {
    // Neither shows anything: a `%` comment, and the `+++` line between blocks.
    case 'mystComment':
    case 'blockBreak':
      return []
    case 'admonition': {
      // A kind written as a class (`:class: tip` on `{admonition}`) is the kind; without either it is a note.
      const classes = String(node['class'] ?? '').split(/\s+/).filter(Boolean)
      const kind = (node['kind'] as string | undefined) ?? classes.find((c) => admonitionKinds.includes(c)) ?? 'note'
      const rest = node['kind'] ? classes : classes.filter((c) => c !== kind)
      return [shape({ ...node, kind, class: rest.join(' '), children: children() })]
    }
    case 'crossReference':
      // Without text of its own a reference has no children, or an empty list of them.
      return [shape({ ...node, children: children() })]
    case 'legend':
      // A figure's legend is its blocks after the caption.
      return children()
    case 'image':
      return [shape({ ...node, width: pixels(node['width']) })]
    default:
      return [shape({ ...node, children: node.children ? children() : undefined })]
  }
}

/** Our node, in the shared vocabulary. */
function canonOurs(node: Node, definitions: Map<string, Node>): Node[] {
  const all = (nodes: Node[] | undefined) => (nodes ?? []).flatMap((c) => canonOurs(c, definitions))
  const data = (node['data'] ?? {}) as { hProperties?: Record<string, unknown>; role?: string; template?: string }
  const label = typeof node['label'] === 'string' ? labelOf(node['label']) : undefined
  switch (node.type) {
    case 'callout': {
      const title = node['title'] as Node[] | undefined
      const classes = [...(node['dropdown'] ? ['dropdown'] : []), ...((node['className'] as string[] | undefined) ?? [])]
      return [
        shape({
          type: 'admonition',
          kind: node['kind'],
          class: classes.join(' '),
          label,
          children: [...(title ? [shape({ type: 'admonitionTitle', children: all(title) })] : []), ...all(node.children)],
        }),
      ]
    }
    case 'figure': {
      // As our renderer orders them: a table's caption first, a figure's after its image, a listing's after its code.
      const caption = node['caption'] as Node[] | undefined
      const captionNode = caption ? [shape({ type: 'caption', children: [shape({ type: 'paragraph', children: all(caption) })] })] : []
      const body = all(node.children)
      const ordered =
        node['kind'] === 'table' ? [...captionNode, ...body] : node['kind'] === 'figure' ? [...body.slice(0, 1), ...captionNode, ...body.slice(1)] : [...body, ...captionNode]
      return [shape({ type: 'container', kind: node['kind'], label, class: ((node['className'] as string[] | undefined) ?? []).join(' '), children: ordered })]
    }
    case 'container':
      // A block wrapped only to carry a `(label)=` anchor is that block with the label.
      if ((node['className'] as string[]).join(' ') === 'labelled' && node.children?.length === 1) {
        return all(node.children).map((c) => shape({ ...c, label }))
      }
      return [shape({ type: 'container', tagName: node['tagName'], class: (node['className'] as string[]).join(' '), label, children: all(node.children) })]
    case 'math':
      return [shape({ type: 'math', value: node['value'], label })]
    case 'code': {
      const lines = data as { showLineNumbers?: boolean; startingLineNumber?: number; emphasizeLines?: number[] }
      return [shape({ ...node, showLineNumbers: lines.showLineNumbers, startingLineNumber: lines.startingLineNumber, emphasizeLines: lines.emphasizeLines })]
    }
    case 'inlineElement': {
      const type = { sub: 'subscript', sup: 'superscript', abbr: 'abbreviation' }[node['tagName'] as string] ?? `inlineElement:${String(node['tagName'])}`
      return [shape({ type, title: node['title'], children: all(node.children) })]
    }
    case 'heading':
      return [shape({ type: 'heading', depth: node['depth'], label: idOf(data), children: all(node.children) })]
    case 'link':
      if (data.role === 'ref' || data.role === 'numref' || data.role === 'eq') {
        // `{numref}` keeps text with `%s` as a template; `{eq}` always has one, "(%s)", which is only its default look.
        const template = data.role === 'numref' && data.template !== undefined ? [{ type: 'text', value: data.template }] : []
        return [
          shape({
            type: 'crossReference',
            kind: data.role,
            label: labelOf(decodeURIComponent(String(node['url']).replace(/^#/, ''))),
            children: [...template, ...all(node.children)],
          }),
        ]
      }
      return [shape({ ...node, children: all(node.children) })]
    case 'linkReference':
    case 'imageReference': {
      // A reference and its definition are the link they make.
      const definition = definitions.get(String(node['identifier']))
      const type = node.type === 'linkReference' ? 'link' : 'image'
      return [shape({ type, url: definition?.['url'], title: definition?.['title'], alt: node['alt'], children: node.children ? all(node.children) : undefined })]
    }
    case 'definition':
      return []
    case 'image': {
      const properties = data.hProperties ?? {}
      const classes = (properties['className'] as string[] | undefined) ?? []
      const align = classes.find((c) => c.startsWith('align-'))?.slice('align-'.length)
      return [
        shape({
          type: 'image',
          url: node['url'],
          alt: node['alt'],
          title: node['title'],
          class: classes.filter((c) => !c.startsWith('align-')).join(' '),
          width: pixels(properties['width']),
          height: pixels(properties['height']),
          align,
        }),
      ]
    }
    case 'table': {
      const align = (node['align'] as (string | null)[] | undefined) ?? []
      // A cell is a header cell where it is rendered as one: the first row's, or as the cell says (`:header-rows:`).
      const header = (cell: Node, r: number) => ((cell['data'] as { hName?: string } | undefined)?.hName ?? (r === 0 ? 'th' : 'td')) === 'th'
      const rows = (node.children ?? []).map((row, r) =>
        shape({
          type: 'tableRow',
          children: (row.children ?? []).map((cell, c) => shape({ type: 'tableCell', header: header(cell, r) || undefined, align: align[c], children: all(cell.children) })),
        }),
      )
      const classes = ((data.hProperties?.['className'] as string[] | undefined) ?? []).filter((c) => c.startsWith('align-'))
      return [shape({ type: 'table', align: classes[0]?.slice('align-'.length), children: rows })]
    }
    case 'list': {
      // As mdast-util-to-hast decides it: a list is loose when it or any item is spread; a tight list shows its items' paragraphs bare.
      const items = node.children ?? []
      const loose = node['spread'] === true || items.some((item) => item['spread'] === true)
      const shaped = items.map((item) =>
        shape({
          type: 'listItem',
          checked: item['checked'],
          children: all(loose ? item.children : (item.children ?? []).flatMap((c) => (c.type === 'paragraph' ? (c.children ?? []) : [c]))),
        }),
      )
      return [shape({ type: 'list', ordered: node['ordered'], start: node['ordered'] ? node['start'] : undefined, children: shaped })]
    }
    default:
      return [shape({ ...node, children: node.children ? all(node.children) : undefined })]
  }
}

const idOf = (data: { hProperties?: Record<string, unknown> }) => (typeof data.hProperties?.['id'] === 'string' ? labelOf(data.hProperties['id']) : undefined)

/** A width in pixels as a number of pixels (`200px` and `200` are one width); any other width as written. */
function pixels(width: unknown): unknown {
  const match = typeof width === 'string' ? /^(\d+)(?:px)?$/.exec(width.trim()) : null
  return match ? Number(match[1]) : width
}

/**
 * What is compared of any node: its fields but positions, render data, the
 * `identifier` made from its `label` (the label is compared, trimmed), and fields that are empty
 * (`lang: ""`, `title: null`, an empty class); `spread` is read for lists
 * above and then dropped, because markdown-it sets it on every item. Text
 * that is split in two is joined.
 */
function shape(node: Record<string, unknown>): Node {
  const out: Node = { type: String(node['type']) }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'position' || key === 'data' || key === 'identifier' || key === 'spread' || key === 'children') continue
    if (value === undefined || value === null || value === '') continue
    // Classes are a set: their order means nothing.
    if (key === 'class' && typeof value === 'string') {
      out[key] = value.split(/\s+/).filter(Boolean).sort().join(' ')
      continue
    }
    if (key === 'label' && typeof value === 'string') {
      out[key] = labelOf(value)
      continue
    }
    // A fence's words after the language are not shown, by MyST or by us.
    if (out.type === 'code' && key === 'meta') continue
    out[key] = value
  }
  // As mdast-util-to-hast writes them: a URL percent-encoded, a code span's line endings as spaces.
  if ((out.type === 'link' || out.type === 'image') && typeof out['url'] === 'string') out['url'] = normalizeUri(out['url'])
  if (out.type === 'inlineCode' && typeof out['value'] === 'string') out['value'] = out['value'].replace(/\r?\n|\r/g, ' ')
  // Line endings at the end of raw HTML show nothing.
  if (out.type === 'html' && typeof out['value'] === 'string') out['value'] = out['value'].replace(/(\r?\n|\r)+$/, '')
  if (Array.isArray(node['children'])) out.children = joinText(node['children'] as Node[])
  return out
}

function joinText(children: Node[]): Node[] {
  const joined: Node[] = []
  for (const child of children) {
    const last = joined.at(-1)
    if (child.type === 'text' && child['value'] === '') continue
    if (child.type === 'text' && last?.type === 'text') joined[joined.length - 1] = { ...last, value: String(last['value']) + String(child['value']) }
    else joined.push(child)
  }
  return joined
}

function definitionsOf(tree: Node): Map<string, Node> {
  const found = new Map<string, Node>()
  const walk = (node: Node) => {
    if (node.type === 'definition' && !found.has(String(node['identifier']))) found.set(String(node['identifier']), node)
    node.children?.forEach(walk)
  }
  walk(tree)
  return found
}

function compareCase(c: SpecCase): { expected: Node; actual: Node; same: boolean } {
  const { tree } = parseMystBody({ path: 'page.md', display: 'page.md', text: c.myst })
  const ours = tree as unknown as Node
  const expected = canonSpec(fromSpec(c.mdast))[0]!
  const actual = canonOurs(ours, definitionsOf(ours))[0]!
  return { expected, actual, same: isDeepStrictEqual(expected, actual) }
}

// ---- The cases that differ, each with its reason ----

/** Why a case differs, as docs/myst.md names each reason: its row there explains it and lists the cases. */
const reasons = {
  'fixture-nbsp': 'Lost non-breaking spaces',
  'front-matter': 'Front matter',
  'autolink-literal': 'Bare URLs become links',
  'html-comment': 'HTML comments of CommonMark 0.31',
  'unknown-directive': 'Unknown directives are shown',
  'unknown-role': 'Unknown roles are shown',
  'labelled-code': 'Labelled code is a numbered listing',
} as const

/** A CommonMark example's case, by its number. */
const example = (n: number) => cases.find((c) => c.title.startsWith('cmark_spec') && c.title.endsWith(` - example ${n}`))?.title ?? `example ${n}`

const examples = (reason: keyof typeof reasons, numbers: number[]): Record<string, keyof typeof reasons> =>
  Object.fromEntries(numbers.map((n) => [example(n), reason]))

const differs: Record<string, keyof typeof reasons> = {
  ...examples('fixture-nbsp', [25, 333, 353, 506]),
  ...examples('front-matter', [96, 98]),
  ...examples('autolink-literal', [601, 605, 607, 610, 611]),
  ...examples('html-comment', [625, 626]),
  'directives.generic: Unknown directive': 'unknown-directive',
  'directives.generic: Unknown directive with args': 'unknown-directive',
  'roles.generic: unknown role': 'unknown-role',
  'directives.code: Code directive, starting line': 'labelled-code',
  'directives.code: Code-block starting line': 'labelled-code',
}

/** Fewest cases that must match: the counts when this list was last brought up to date. */
const floors = { commonMark: 655, myst: 68 }

const results = cases.map((c) => ({ case: c, ...compareCase(c) }))

describe('myst-spec 0.0.5 conformance', () => {
  const docs = readFileSync(`${repoRoot}/docs/myst.md`, 'utf8')

  it('reads all 741 cases, and only those', () => {
    expect(cases).toHaveLength(741)
    expect(Object.keys(differs).filter((title) => !cases.some((c) => c.title === title))).toEqual([])
  })

  it.each(results.filter((r) => differs[r.case.title] === undefined).map((r) => [r.case.title, r] as const))('%s', (_, r) => {
    expect(r.actual).toEqual(r.expected)
  })

  it.each(Object.entries(differs))('%s still differs: %s', (title) => {
    const r = results.find((x) => x.case.title === title)
    // Once a case matches, take it off the list here and in docs/myst.md.
    expect(r?.same).toBe(false)
  })

  it('matches at least as many cases as before, and prints the counts', () => {
    const count = (commonMark: boolean) => {
      const group = results.filter((r) => isCommonMark(r.case) === commonMark)
      return { passed: group.filter((r) => r.same).length, total: group.length }
    }
    const commonMark = count(true)
    const myst = count(false)
    console.log(`myst-spec: CommonMark cases ${commonMark.passed}/${commonMark.total}, MyST cases ${myst.passed}/${myst.total}`)
    expect(commonMark.passed).toBeGreaterThanOrEqual(floors.commonMark)
    expect(myst.passed).toBeGreaterThanOrEqual(floors.myst)
    expect(myst.passed / myst.total).toBeGreaterThanOrEqual(0.9)
  })

  it('has every difference in docs/myst.md, on the row of its reason', () => {
    const rows = docs.slice(docs.indexOf('## Conformance with myst-spec')).split('\n')
    const missing = Object.entries(differs).filter(([title, reason]) => {
      const row = rows.find((line) => line.startsWith(`| **${reasons[reason]}**`)) ?? ''
      const number = /example (\d+)$/.exec(title)?.[1]
      return number ? !new RegExp(`\\b${number}\\b`).test(row) : !row.includes(`"${title.slice(title.indexOf(': ') + 2)}"`)
    })
    expect(missing).toEqual([])
  })
})

// ---- What the cases led us to change, as readers get it ----

describe('MyST syntax the conformance cases asked for, rendered', () => {
  const build = (body: string, extra: Record<string, string> = {}) =>
    buildInMemory({ 'myst.yml': 'version: 1\nproject:\n  title: Spec\n', 'index.md': `# Home\n\n${body}`, ...extra })

  it('shows the argument of an admonition without a body as its text, under the default title', () => {
    const { page, messages } = build('```{warning} Mind the gap\n```\n\n```{tip} A title\nA body.\n```\n')
    expect(where(messages)).toEqual([])
    const home = page('index.html')
    expect(texts(home, '.callout-warning > p')).toEqual(['Warning', 'Mind the gap'])
    expect(texts(home, '.callout-tip > p')).toEqual(['A title', 'A body.'])
  })

  it('keeps the classes of an admonition, and lets a class choose the kind only for {admonition}', () => {
    const { page, messages } = build('```{seealso}\n:class: tip wide\nMore.\n```\n\n```{admonition} Titled\n:class: tip\nBody.\n```\n')
    expect(where(messages)).toEqual([])
    const callouts = selectAll('.callout', page('index.html')).map((c) => String(c.properties['className']))
    expect(callouts).toEqual(['callout,callout-seealso,tip,wide', 'callout,callout-tip'])
  })

  it("puts a table directive's :class: on its figure and places the table by :align:", () => {
    const { page, messages } = build('```{list-table} Placed\n:align: center\n:class: compact\n* - a\n```\n')
    expect(where(messages)).toEqual([])
    const home = page('index.html')
    expect(select('figure.numbered-table', home)?.properties['className']).toEqual(['numbered', 'numbered-table', 'compact'])
    expect(select('figure table', home)?.properties['className']).toEqual(['align-center'])
  })

  it('makes header rows of as many rows as :header-rows: says, and none by default', () => {
    const { page, messages } = build(
      [
        '```{list-table} None',
        '* - a',
        '  - b',
        '* - c',
        '  - d',
        '```',
        '',
        '```{list-table} One',
        ':header-rows: 1',
        '* - Name',
        '* - Ada',
        '```',
        '',
        '```{csv-table} Given',
        ':header: Who, When',
        ':header-rows: 1',
        'Role, Year',
        'Ada, 1843',
        '```',
        '',
      ].join('\n'),
    )
    expect(where(messages)).toEqual([])
    const [none, one, csv] = selectAll('table', page('index.html'))
    const rows = (table: Element | undefined, part: string) => selectAll(`${part} > tr`, table).map((tr) => selectAll('th, td', tr).map((c) => `${c.tagName}:${toString(c)}`))
    expect([rows(none, 'thead'), rows(none, 'tbody')]).toEqual([[], [['td:a', 'td:b'], ['td:c', 'td:d']]])
    expect([rows(one, 'thead'), rows(one, 'tbody')]).toEqual([[['th:Name']], [['td:Ada']]])
    expect([rows(csv, 'thead'), rows(csv, 'tbody')]).toEqual([
      [['th:Who', 'th:When'], ['th:Role', 'th:Year']],
      [['td:Ada', 'td:1843']],
    ])
  })

  it("puts a figure's caption after its image and before its legend, and an image in no paragraph", () => {
    const { page, messages } = build('```{figure} chart.png\n:alt: A chart\n\nThe caption.\n\nThe legend.\n```\n\n```{image} chart.png\n:alt: Alone\n```\n', {
      'chart.png': '',
    })
    expect(where(messages)).toEqual([])
    const home = page('index.html')
    const figure = select('figure.numbered-figure', home)
    const parts = (figure?.children ?? []).filter((c): c is Element => c.type === 'element').map((c) => `${c.tagName}:${toString(c).trim()}`)
    expect(parts).toEqual(['img:', 'figcaption:Figure 1: The caption.', 'p:The legend.'])
    expect(selectAll('img', home).map((img) => img.properties['alt'])).toEqual(['A chart', 'Alone'])
    expect(selectAll('p > img', home)).toEqual([])
  })

  it('lets a (label)= name an image that stands alone, so a link can reach it', () => {
    const { page, messages } = build('See [the chart](#chart-alone).\n\n(chart-alone)=\n```{image} chart.png\n:alt: Alone\n```\n', { 'chart.png': '' })
    expect(where(messages)).toEqual([])
    const home = page('index.html')
    expect(select('#chart-alone > img', home)?.properties['alt']).toBe('Alone')
    expect(select('a[href="#chart-alone"]', home)).toBeDefined()
  })

  it('numbers the lines of code from :lineno-start:, marks :emphasize-lines:, and keeps the code as written', () => {
    const { page, messages } = build('```{code-block} python\n:lineno-start: 9\n:emphasize-lines: 2, 3-3\na = 1\nb = 2\nc = 3\n```\n')
    expect(where(messages)).toEqual([])
    const pre = select('pre.line-numbers', page('index.html'))
    expect(selectAll('.line-number', pre).map((n) => toString(n))).toEqual(['9', '10', '11'])
    expect(selectAll('.line', pre).map((n) => String(n.properties['className']))).toEqual(['line', 'line,line-emphasized', 'line,line-emphasized'])
    expect(selectAll('.line', pre).map((n) => toString(n).replace(/^\d+/, ''))).toEqual(['a = 1', 'b = 2', 'c = 3'])
    expect(select('.line-number', pre)?.properties['ariaHidden']).toBe('true')
  })

  it('marks lines without numbering them, and reports a part of :emphasize-lines: it cannot read', () => {
    const { page, messages } = build('```{code} text\n:emphasize-lines: 1, two\nfirst\nsecond\n```\n')
    expect(where(messages)).toEqual(['content/index.md:4:1 directive-option-valid'])
    expect(messages[0]?.severity).toBe('warning')
    const pre = select('pre', page('index.html'))
    expect(pre?.properties['className']).toBeUndefined()
    expect(selectAll('.line-number', pre)).toEqual([])
    expect(selectAll('.line-emphasized', pre).map((n) => toString(n))).toEqual(['first'])
  })
})
