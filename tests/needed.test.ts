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
import { unified, type Data } from 'unified'
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

/** A tree transform of another extension's, which does nothing, and must be kept. */
function remarkOtherTransform(this: { data(): Data }): void {
  const data = this.data()
  ;(data.fromMarkdownExtensions ??= []).push({ transforms: [function otherTransform() {}] })
}

const whole = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkOtherTransform).use(remarkLinear).freeze()
const sparingProcessors = () =>
  processorsByNeed((needed) => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkOtherTransform).use(remarkLinear).use(remarkNeeded, needed).freeze())
const sparing = sparingProcessors()
const same = (text: string) => expect(JSON.stringify(sparing(text).parse(text)), JSON.stringify(text)).toBe(JSON.stringify(whole.parse(text)))

/** What a processor's parser tries, as `field code name` (an emptied list as `(none)`), and the tree transforms that follow it. */
function syntaxOf(processor: { data(): Data }): { constructs: string[]; transforms: string[] } {
  const data = processor.data()
  const constructs: string[] = []
  for (const extension of data.micromarkExtensions ?? []) {
    for (const field of ['document', 'flow', 'text', 'string'] as const) {
      for (const [code, entry] of Object.entries(extension[field] ?? {})) {
        const list = [entry ?? []].flat()
        if (list.length === 0) constructs.push(`${field} ${code} (none)`)
        for (const construct of list) constructs.push(`${field} ${code} ${construct.name ?? '?'}`)
      }
    }
  }
  const transforms = (data.fromMarkdownExtensions ?? []).flat().flatMap((extension) => (extension.transforms ?? []).map((transform) => transform.name))
  return { constructs: constructs.sort(), transforms: transforms.sort() }
}

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

  it('leaves out the constructs and the transform the text rules out, and nothing else', () => {
    // Made here, not taken from the processors other tests made: each is made once.
    const sparing = sparingProcessors()
    const all = syntaxOf(whole)
    const without = (...names: string[]) => all.constructs.filter((entry) => !names.includes(entry.split(' ')[2]!))
    const autolinks = ['emailAutolink', 'wwwAutolink', 'protocolAutolink']
    expect(all.constructs.filter((entry) => [...autolinks, 'table'].includes(entry.split(' ')[2]!)).length).toBeGreaterThan(60)
    expect(all.transforms).toEqual(['otherTransform', 'transformGfmAutolinkLiterals'])
    expect(syntaxOf(sparing('Plain words.\n'))).toEqual({ constructs: without(...autolinks, 'table'), transforms: ['otherTransform'] })
    expect(syntaxOf(sparing('| a |\n'))).toEqual({ constructs: without(...autolinks), transforms: ['otherTransform'] })
    expect(syntaxOf(sparing('www.x.org\n'))).toEqual({ constructs: without('table'), transforms: all.transforms })
    expect(syntaxOf(sparing('www.x.org | a\n'))).toEqual(all)
  })

  it('makes each processor once, for all the texts that need the same syntax', () => {
    const sparing = sparingProcessors()
    expect(sparing('Plain words.')).toBe(sparing('Other words.'))
    expect(sparing('a@b.co')).toBe(sparing('https://x.y'))
    expect(new Set(['Plain.', 'a@b.co', '| a |', 'a@b.co | a'].map(sparing)).size).toBe(4)
  })

  it('leaves literal autolinks and tables in where the text has them', () => {
    const text = 'See www.x.org or mail a@b.co.\n\n| a |\n| - |\n| b |\n'
    const tree = sparing(text).parse(text)
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'table'])
    expect(JSON.stringify(tree)).toContain('mailto:a@b.co')
    expect(JSON.stringify(tree)).toContain('http://www.x.org')
  })
})
