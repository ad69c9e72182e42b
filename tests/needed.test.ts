// A chapter is parsed without the GFM syntax its text rules out
// (src/markdown/needed.ts); the tree must be the one the whole of GFM makes.
// Random markdown is made of pieces that come near each piece of that syntax
// (`ww`, `http`, `@`, `:`, `-`, escapes, character references), so that many
// texts are parsed without it, and some hold it after all.

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import remarkLinear from '../src/markdown/linear.js'
import remarkNeeded, { neededSyntax, processorsByNeed } from '../src/markdown/needed.js'

const seed = 20261202

const piece = fc.constantFrom(
  'w', 'ww', 'www', '.', 'W', 'http', 'https', 'HTTP', ':', '/', '//', 'h', 't', 'p', 's', 'x', 'mailto', 'xmpp', '@', 'a', 'word', '+', '_',
  '-', '--', ':-', '-:', '|', '\\', '&', '#', '&#64;', '&commat;', '&amp;', '&#x77;', ';', ' ', '  ', '\t', '\n', '\n\n', '> ', '- ', '1. ',
  '[', ']', '(', ')', '*', '`', '~', '<', '>', '---', '===', 'www.x.org', 'https://x.y/z', 'a@b.co',
)
const markdown = fc.array(piece, { maxLength: 80 }).map((pieces) => pieces.join(''))

const whole = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkLinear).freeze()
const sparing = processorsByNeed((needed) => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkLinear).use(remarkNeeded, needed).freeze())
const same = (text: string) => expect(JSON.stringify(sparing(text).parse(text)), JSON.stringify(text)).toBe(JSON.stringify(whole.parse(text)))

/** Every markdown file under `dir`. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
}

describe('parsing without the syntax a text rules out', () => {
  it('makes the same tree as the whole of GFM, for random texts near that syntax', () => {
    const texts = fc.sample(markdown, { numRuns: 3000, seed })
    const needs = texts.map(neededSyntax)
    // Both ways are taken, for each piece of syntax, often enough to mean something.
    expect(needs.filter((n) => !n.autolinks).length).toBeGreaterThan(300)
    expect(needs.filter((n) => !n.tables).length).toBeGreaterThan(300)
    expect(needs.filter((n) => n.autolinks).length).toBeGreaterThan(300)
    expect(needs.filter((n) => n.tables).length).toBeGreaterThan(300)
    texts.forEach(same)
  })

  it('makes the same tree for texts that come closest to each piece of syntax without holding it', () => {
    const near = [
      'ww.x.org and www x.org and wwww', 'ht tp://x and http//x and httpx', 'a @b and @ b and [@key] and (@key)', 'a\n@b.org', '> a\n> @b.org',
      'ww\\w.x.org', 'http\\://x.y', 'a\\@b.co', 'a&#64;b.co', 'a&commat;b.co', '&#x77;ww.x.org',
      'a\n: -\n', 'a\n:\t-\n', 'a\n- :\n', 'a\n---\n', 'a b\n- -\n', 'a\n:-\n', 'a\n -: \n', '> a\n> :-\n', 'a\n\\|-\n', 'a&#124;b\n-\n',
    ]
    near.forEach(same)
    // Those that hold it are read with it.
    expect(near.filter((text) => neededSyntax(text).autolinks)).toEqual([
      'a @b and @ b and [@key] and (@key)', 'a\n@b.org', '> a\n> @b.org', 'ww\\w.x.org', 'http\\://x.y', 'a\\@b.co', 'a&#64;b.co', 'a&commat;b.co', '&#x77;ww.x.org', 'a&#124;b\n-\n',
    ])
    expect(near.filter((text) => neededSyntax(text).tables)).toEqual(['a\n:-\n', 'a\n -: \n', '> a\n> :-\n', 'a\n\\|-\n'])
  })

  it('makes the same tree for the report and every markdown fixture', () => {
    const texts = [...markdownFiles('content'), ...markdownFiles(path.join('tests', 'fixtures'))]
    expect(texts.length).toBeGreaterThan(20)
    texts.forEach(same)
  })

  it('leaves literal autolinks and tables in where the text has them', () => {
    const text = 'See www.x.org or mail a@b.co.\n\n| a |\n| - |\n| b |\n'
    const tree = sparing(text).parse(text)
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'table'])
    expect(JSON.stringify(tree)).toContain('mailto:a@b.co')
    expect(JSON.stringify(tree)).toContain('http://www.x.org')
  })
})
