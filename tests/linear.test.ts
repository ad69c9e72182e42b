// The parser's linear replacements (src/markdown/linear.ts) change the cost of
// reading markdown, never the tree: random markdown made of the syntax they
// touch is parsed by micromark as it is, then with them, and the trees must be
// the same. Then the work they save is counted, at n and 2n, as the elements
// micromark's array lookups and splices go through: it must grow with n, not n².
//
// This file imports no other part of the generator, so that micromark is still
// as it was installed when the first trees are made.

import fc from 'fast-check'
import type { Root } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import remarkLinear from '../src/markdown/linear.js'
import { arrayWork } from './work.js'

const seed = 20261201

const piece = fc.constantFrom(
  '[', ']', '![', '(', ')', '[^a]', '[^b]', '\n[^a]: a note\n', '\n[^b]:\n    indented note\n', '\n[x]: /u\n', '[x]', '[x][]', '[y][x]',
  'www.example.org', 'a@b.co', 'mail@x.org.', 'http://a.b/c?d', 'https://x.y', ' ', ' ', '\n', '\n\n', '> ', '- ', '1. ', '*', '**', '_',
  '`', 'a', 'word', '\\', '\\]', '&amp;', '&#x5b;', ':', ':x', '<b>', '|', '~~', '  \n', '\t',
)
const markdown = fc.array(piece, { maxLength: 120 }).map((pieces) => pieces.join(''))

const plain = () => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).freeze()

// Made before any processor with remarkLinear exists: its changes to micromark last for the process.
const inputs = [
  '[a www.example.org and a@b.co',
  '[a](b) www.example.org',
  '[a [b](c) x@y.com',
  '![^a]\n\n[^a]: note',
  '![^a] ![^b] ![x]\n\n[^a]: note',
  '[^a] [^a]\n\n[^a]: one\n[^a]: two',
  '> a\nb\n\n> c\n\n- > d\n\ne',
  ...fc.sample(markdown, { numRuns: 400, seed }),
]
const expected = inputs.map((text) => JSON.stringify(plain().parse(text)))
const hostile: Record<string, (n: number) => string> = {
  'quotes separated by blank lines': (n) => '> a\n\n'.repeat(n),
  'brackets that close no link': (n) => '[a]'.repeat(n),
  'lines ending in a bracket': (n) => 'a]\n'.repeat(n),
  'footnotes': (n) => Array.from({ length: n }, (_, i) => `a[^n${i}]\n\n`).join('') + Array.from({ length: n }, (_, i) => `[^n${i}]: n\n\n`).join(''),
  'link definitions and references': (n) => Array.from({ length: n }, (_, i) => `[d${i}]: /x\n`).join('') + '\n' + Array.from({ length: n }, (_, i) => `[z${i}] `).join(''),
}
const before = Object.fromEntries(Object.entries(hostile).map(([name, make]) => [name, [1000, 2000].map((n) => arrayWork(() => plain().parse(make(n))))]))

describe('the linear parser', () => {
  const linear = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkLinear).freeze()

  it(`makes the same tree as micromark itself (${inputs.length} random texts)`, () => {
    inputs.forEach((text, i) => expect(JSON.stringify(linear.parse(text)), JSON.stringify(text)).toBe(expected[i]))
  })

  for (const [name, make] of Object.entries(hostile)) {
    it(`goes through work that grows with the text, not its square: ${name}`, () => {
      const [small, large] = [1000, 2000].map((n) => arrayWork(() => linear.parse(make(n))))
      // micromark's own steps did three to four times the work at twice the size; these do about twice.
      const [plainSmall, plainLarge] = before[name]!
      expect(plainLarge!).toBeGreaterThan(3 * plainSmall!)
      expect(large!).toBeLessThan(2.5 * small! + 1000)
    })
  }
})
