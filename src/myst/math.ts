// Math: `$…$`, `$$…$$`, the `{math}` role and the `math` directive become
// math nodes, and their TeX is turned into MathML here, at build time, with
// Temml: readers' browsers get finished MathML, no script and no font from
// anywhere else. A formula Temml cannot read is a warning at its place, and
// is shown as the TeX that was written.

import { createRequire } from 'node:module'
import type { InlineCode, Code, Paragraph, Parent, Root } from 'mdast'
import type { Position } from 'unist'
import { visit } from 'unist-util-visit'
import { createMessage, type Message } from '../messages.js'
import type { DisplayMath, InlineMath } from './nodes.js'
import type { ScanResult } from './scan.js'

interface Temml {
  renderToString(tex: string, options: { displayMode: boolean; annotate: boolean; throwOnError: boolean; trust: boolean }): string
}

// Loaded the first time a page has math, so reports without any do not pay
// for it; looked up by name, so that the rest of the generator runs (and says
// what is missing) on an installation without it.
let temml: Temml | null | undefined

function loadTemml(): Temml | null {
  if (temml !== undefined) return temml
  try {
    const required = createRequire(import.meta.url)('temml') as Temml | { default: Temml }
    temml = 'renderToString' in required ? required : required.default
  } catch {
    temml = null
  }
  return temml
}

interface MathContext {
  file: { display: string }
  messages: Message[]
}

export function transformMath(tree: Root, scanned: ScanResult, context: MathContext): void {
  visit(tree, (node, index, parent: Parent | undefined) => {
    if (!parent || index === undefined) return
    if (node.type === 'inlineCode') {
      const start = node.position?.start
      const key = start ? `${start.line}:${start.column}` : ''
      if (!scanned.inlineMath.has(key)) return
      if (scanned.displayInline.has(key) && isAlone(parent, node as InlineCode)) {
        // `$$ x $$` as a paragraph of its own is display math.
        return
      }
      parent.children[index] = inlineMath((node as InlineCode).value, node.position, context)
      return
    }
    if (node.type === 'paragraph') {
      const only = (node as Paragraph).children.filter((c) => !(c.type === 'text' && c.value.trim() === ''))
      const [math] = only
      const start = math?.position?.start
      if (only.length !== 1 || math?.type !== 'inlineCode' || !start || !scanned.displayInline.has(`${start.line}:${start.column}`)) return
      parent.children[index] = displayMath((math as InlineCode).value, undefined, node.position, context)
      return
    }
    if (node.type === 'code') {
      const line = node.position?.start.line ?? 0
      if (!scanned.displayMath.has(line)) return
      parent.children[index] = displayMath((node as Code).value, scanned.displayMath.get(line), node.position, context)
    }
  })
}

export function inlineMath(tex: string, position: Position | undefined, context: MathContext): InlineMath {
  const node: InlineMath = { type: 'inlineMath', value: tex.trim() }
  if (position) node.position = position
  const mathml = renderTex(node.value, false, position, context)
  if (mathml !== undefined) node.data = { mathml }
  return node
}

export function displayMath(tex: string, label: string | undefined, position: Position | undefined, context: MathContext): DisplayMath {
  const node: DisplayMath = { type: 'math', value: tex.trim(), label }
  if (position) node.position = position
  const mathml = renderTex(node.value, true, position, context)
  if (mathml !== undefined) node.data = { mathml }
  return node
}

function renderTex(tex: string, display: boolean, position: Position | undefined, context: MathContext): string | undefined {
  const temml = loadTemml()
  if (!temml) {
    // Once per file is enough to say what is missing.
    if (context.messages.some((m) => m.ruleId === 'math-renders' && m.file === context.file.display)) return undefined
    context.messages.push(
      createMessage(
        'math-renders',
        context.file.display,
        position ? { line: position.start.line, column: position.start.column } : undefined,
        'This formula is shown as TeX: the math renderer (the `temml` package) is not installed',
        'Install the dependencies with `npm ci`.',
      ),
    )
    return undefined
  }
  try {
    return temml.renderToString(tex, { displayMode: display, annotate: true, throwOnError: true, trust: false })
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^ParseError:\s*/, '').split('\n')[0]
    context.messages.push(
      createMessage(
        'math-renders',
        context.file.display,
        position ? { line: position.start.line, column: position.start.column } : undefined,
        `This formula cannot be read, so it is shown as TeX: ${reason}`,
        'Check the TeX; commands that MathJax or KaTeX accept are listed at https://temml.org/docs/en/supported.',
      ),
    )
    return undefined
  }
}

function isAlone(parent: Parent, node: InlineCode): boolean {
  return parent.type === 'paragraph' && parent.children.every((c) => c === node || (c.type === 'text' && c.value.trim() === ''))
}
