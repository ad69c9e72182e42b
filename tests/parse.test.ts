import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import type { Callout, Finding, Quote, Recommendation } from '../src/markdown/nodes.js'
import { parseChapter } from '../src/markdown/parse.js'
import { where } from './helpers.js'

const parse = (text: string) => parseChapter({ path: 'a.md', display: 'content/a.md', text })
const find = <T>(tree: Root, type: string): T[] => {
  const found: T[] = []
  const walk = (node: { type: string; children?: unknown[] }) => {
    if (node.type === type) found.push(node as T)
    for (const child of (node.children ?? []) as { type: string }[]) walk(child)
  }
  walk(tree)
  return found
}

describe('parseChapter', () => {
  it('turns a finding directive into a finding with its heading as title', () => {
    const { tree, messages } = parse(':::finding{#slow-review}\n## Pull requests *wait*\n\nText.\n:::\n')
    const [finding] = find<Finding>(tree, 'finding')
    expect(messages).toEqual([])
    expect(finding?.id).toBe('slow-review')
    expect(finding?.titleText).toBe('Pull requests wait')
    expect(finding?.depth).toBe(2)
    expect(finding?.children.map((c) => c.type)).toEqual(['paragraph'])
  })

  it('reads a recommendation’s addresses, audience and horizons', () => {
    const { tree, messages } = parse(
      ':::recommendation{#r-a addresses="one two" audience="Maintainers" horizon="short long"}\n## Do it\n:::\n',
    )
    const [rec] = find<Recommendation>(tree, 'recommendation')
    expect(messages).toEqual([])
    expect(rec?.addresses).toEqual([
      { id: 'one', place: { line: 1, column: 35 } },
      { id: 'two', place: { line: 1, column: 39 } },
    ])
    expect(rec?.audience).toBe('Maintainers')
    expect(rec?.horizons).toEqual(['short', 'long'])
  })

  it('takes a quote’s attribution from its last line, with either dash form and the paraphrase mark', () => {
    const { tree } = parse('> First line\n> second line.\n> — P04 (paraphrased)\n\n> Another\n>\n> -- a published interview, 2019\n')
    const quotes = find<Quote>(tree, 'quote')
    expect(quotes.map((q) => [q.attribution.text, q.paraphrased, q.attribution.place])).toEqual([
      ['P04', true, { line: 3, column: 3 }],
      ['a published interview, 2019', false, { line: 7, column: 3 }],
    ])
    const body = quotes[0]?.children[0]
    expect(body?.type === 'paragraph' && body.children[0]?.type === 'text' && body.children[0].value).toBe('First line\nsecond line.')
    expect(quotes[1]?.children).toHaveLength(1)
  })

  it('leaves a blockquote without an attribution line alone', () => {
    const { tree } = parse('> Just a blockquote\n> with two lines.\n')
    expect(find(tree, 'quote')).toHaveLength(0)
    expect(find(tree, 'blockquote')).toHaveLength(1)
  })

  it('makes callouts with an optional title', () => {
    const { tree } = parse(':::warning[Mind this]\nBody\n:::\n\n:::tip\nMore\n:::\n')
    const callouts = find<Callout>(tree, 'callout')
    expect(callouts.map((c) => [c.kind, c.title?.length ?? 0])).toEqual([
      ['warning', 1],
      ['tip', 0],
    ])
  })

  it('keeps text that only looks like a text directive', () => {
    const { tree } = parse('Meet at 10:30am. Note:this stays.\n')
    const paragraph = tree.children[0]
    const value = paragraph?.type === 'paragraph' ? paragraph.children.map((c) => (c.type === 'text' ? c.value : '')).join('') : ''
    expect(value).toBe('Meet at 10:30am. Note:this stays.')
  })

  it('takes the first level-one heading as the title and gives the others slugs', () => {
    const result = parse('# The chapter\n\n## Methods\n\n## Methods\n\n:::finding{#methods-2}\n## A finding\n:::\n\n## Methods 2\n')
    expect(result.title?.text).toBe('The chapter')
    expect(result.headings.map((h) => h.id)).toEqual(['methods', 'methods-1', 'methods-2-1'])
  })

  it('reads front matter, warning on unknown keys with their line', () => {
    const result = parse('---\ntitle: Hello\nshort-title: Hi\n---\n# Heading\n')
    expect(result.frontMatter).toEqual({ title: 'Hello' })
    expect(where(result.messages)).toEqual(['content/a.md:3:1 frontmatter-key-known'])
    expect(result.messages[0]?.hint).toContain('short_title')
  })

  it('reports a front matter value of the wrong type at its line', () => {
    const result = parse('---\n\ntitle: [1, 2]\n---\n')
    expect(where(result.messages)).toEqual(['content/a.md:3:8 value-type-valid'])
    expect(result.messages[0]?.reason).toContain('`title`')
  })

  it('keeps positions in the file once front matter is read, so a later problem names its own line and column', () => {
    const result = parse('---\ntitle: Hello\n---\n\nIntro\n\n:::finding{#x}\n## Title\n\nText\n')
    expect(result.frontMatter).toEqual({ title: 'Hello' })
    expect(where(result.messages)).toEqual(['content/a.md:7:1 directive-closed'])
  })

  it('never reads a block named after its dashes as front matter, so no other language (gray-matter runs JavaScript for `---js`) is read', () => {
    const result = parse('---js\n{ title: (globalThis.ranFrontMatter = "yes") }\n---\n\nText\n')
    expect((globalThis as { ranFrontMatter?: string }).ranFrontMatter).toBeUndefined()
    expect(result.frontMatter).toEqual({})
  })

  it('reads front matter closed by dashes with trailing spaces, and not a block left open', () => {
    expect(parse('---\ntitle: Spaced\n---   \nText\n').frontMatter).toEqual({ title: 'Spaced' })
    const open = parse('---\ntitle: Open\n\nText that never closes the block.\n')
    expect(open.frontMatter).toEqual({})
    expect(JSON.stringify(open.tree)).toContain('Text that never closes the block.')
  })

  it('reports an unclosed directive at its opening line', () => {
    const result = parse('Intro\n\n:::finding{#x}\n## Title\n\nText\n')
    expect(where(result.messages)).toEqual(['content/a.md:3:1 directive-closed'])
  })

  it('reports unknown directives and keeps their content', () => {
    const result = parse(':::findng{#x}\n## Title\n\nKept text.\n:::\n')
    expect(where(result.messages)).toEqual(['content/a.md:1:1 directive-known'])
    expect(result.messages[0]?.hint).toBe('Did you mean `finding`?')
    expect(find(result.tree, 'paragraph')).toHaveLength(1)
  })

  it('reports unknown attributes, missing ids, missing titles and bad horizons', () => {
    const result = parse(
      [
        ':::finding{#a colour="red"}',
        '## A',
        ':::',
        '',
        ':::finding',
        '## B',
        ':::',
        '',
        ':::finding{#c}',
        'No heading here.',
        ':::',
        '',
        ':::recommendation{#r addresses="a" horizon="soon"}',
        '## R',
        ':::',
      ].join('\n'),
    )
    expect(where(result.messages)).toEqual([
      'content/a.md:1:15 directive-attribute-known',
      'content/a.md:5:1 directive-id-present',
      'content/a.md:10:1 directive-has-title',
      'content/a.md:13:45 horizon-valid',
    ])
  })
})

describe('nesting', () => {
  it('reports a closing fence left over by a directive nested with the same fence length', () => {
    const result = parse(':::note\nIntro\n\n:::finding{#a}\n## A\n:::\n\nMore\n:::\n')
    expect(where(result.messages)).toEqual(['content/a.md:9:1 directive-fence-balanced'])
  })

  it('accepts a nested directive when the outer fence is longer', () => {
    const result = parse('::::note\nIntro\n\n:::tip\nInner\n:::\n::::\n')
    expect(result.messages).toEqual([])
  })
})
