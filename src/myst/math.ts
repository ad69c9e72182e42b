// Math: `$…$`, `$$…$$`, bare AMS environments, the `{math}` role and the
// `math` directive become math nodes, read as MyST reads them (a `\label`
// names the equation, a starred environment is not numbered, `&` outside an
// environment aligns), and their TeX is turned into MathML here, at build time, with
// Temml: readers' browsers get finished MathML, no script and no font from
// anywhere else. A formula Temml cannot read is a warning at its place, and
// is shown as the TeX that was written.

import { createRequire } from 'node:module'
import type { InlineCode, Code, Paragraph, Parent, Root } from 'mdast'
import type { Position } from 'unist'
import { visit } from '../markdown/visit.js'
import { createMessage, type Message } from '../messages.js'
import type { DisplayMath, InlineMath } from './nodes.js'
import type { ScanResult } from './scan.js'

interface Temml {
  renderToString(
    tex: string,
    options: { displayMode: boolean; annotate: boolean; throwOnError: boolean; trust: boolean; macros: Record<string, string> },
  ): string
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

/**
 * Commands MyST's renderers (KaTeX, MathJax) know and Temml does not, written in ones it knows,
 * so formulas written for MyST render here too. The project's and the page's macros win over them.
 */
const compatibleMacros: Record<string, string> = { '\\mbox': '\\text{#1}' }

export interface MathContext {
  file: { display: string }
  messages: Message[]
  /** The project's TeX macros (`project.math` in myst.yml), by name with its backslash. Default: none. */
  macros?: Readonly<Record<string, string>> | undefined
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
    if (node.type === 'code' || node.type === 'heading') {
      const line = node.position?.start.line ?? 0
      const ams = scanned.amsmath.get(line)
      if (ams !== undefined) {
        parent.children[index] = displayMath(ams, undefined, node.position, context)
        return
      }
      if (node.type === 'heading' || !scanned.displayMath.has(line)) return
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

export function displayMath(
  tex: string,
  label: string | undefined,
  position: Position | undefined,
  context: MathContext,
  options: { enumerated?: boolean } = {},
): DisplayMath {
  const read = readDisplayTex(tex.trim())
  const node: DisplayMath = { type: 'math', value: read.value, label: label ?? read.label }
  if (read.enumerated === false || options.enumerated === false) node.enumerated = false
  if (position) node.position = position
  const mathml = renderTex(read.render, true, position, context)
  if (mathml !== undefined) node.data = { mathml }
  return node
}

/** Environments whose numbering is ours to give (one number for the block), so they are rendered in their starred form. */
const numberedEnvironments = new Set(['multline', 'gather', 'align', 'alignat'])

/**
 * Display TeX as MyST reads it: `\label{x}` names the equation and is taken out; an `equation` that is
 * the whole formula is unwrapped; a starred environment is not numbered; `&` outside any environment
 * aligns (wrapped in `aligned`). `render` is what Temml is given: numbered environments in their starred
 * form, since the block's number is shown beside it, and `flalign` and `eqnarray`, which Temml lacks, as `align*`.
 */
export function readDisplayTex(tex: string): { value: string; render: string; label: string | undefined; enumerated: boolean } {
  let label: string | undefined
  let value = tex.replace(/\\label\{([^}]*)\}/g, (_, name: string) => {
    label ??= name.trim() || undefined
    return ''
  }).trim()
  let enumerated = true
  const equation = /^\\begin\{equation(\*?)\}([\s\S]*)\\end\{equation\1\}$/.exec(value)
  if (equation && !/\\(?:begin|end)\{equation\*?\}/.test(equation[2]!)) {
    enumerated = equation[1] !== '*'
    value = equation[2]!.trim()
  }
  let render = value
  const environment = /^\\begin\{(\w+)(\*?)\}/.exec(value)
  if (environment) {
    const [, name, star] = environment as unknown as [string, string, string]
    if (star === '*' && (numberedEnvironments.has(name) || name === 'flalign' || name === 'eqnarray')) enumerated = false
    const same = (from: string, to: string) => render.replace(new RegExp(`\\\\(begin|end)\\{${from}\\*?\\}`, 'g'), `\\$1{${to}}`)
    if (numberedEnvironments.has(name)) render = same(name, `${name}*`)
    else if (name === 'flalign') render = same('flalign', 'align*')
    else if (name === 'eqnarray') render = same('eqnarray', 'align*').replace(/&=&/g, '&=')
  } else if (!value.includes('\\begin{') && /(^|[^\\])&/.test(value)) {
    render = `\\begin{aligned}\n${value}\n\\end{aligned}`
  }
  return { value, render, label, enumerated }
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
    return temml.renderToString(tex, { displayMode: display, annotate: true, throwOnError: true, trust: false, macros: { ...compatibleMacros, ...context.macros } })
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
