// Directives that wrap their body in one element: asides, dropdowns, cards,
// grids and tabs (as simple containers, no script), quotes set apart, the
// glossary, and the table of contents, which is filled in once every page is
// known (see site/contents.ts).

import type { PhrasingContent, RootContent } from 'mdast'
import { slug } from 'github-slugger'
import { toString } from 'mdast-util-to-string'
import { createMessage } from '../messages.js'
import type { FlowContent } from '../markdown/nodes.js'
import { classesOf, labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'
import type { Container, ContentsList } from './nodes.js'

export function container(
  call: DirectiveCall,
  tagName: Container['tagName'],
  className: string[],
  title: PhrasingContent[] | undefined,
  children: RootContent[],
): Container {
  const node: Container = {
    type: 'container',
    tagName,
    className: [...className, ...classesOf(call)],
    title: title && title.length > 0 ? title : undefined,
    label: labelOf(call),
    targetKind: labelOf(call) ? 'block' : undefined,
    children: children as FlowContent[],
  }
  if (call.node.position) node.position = call.node.position
  return node
}

/** The anchor of a glossary term, which `{term}` links to. */
export function termId(term: string): string {
  return `term-${slug(term.trim())}`
}

const simple = (tagName: Container['tagName'], className: string[], titled: boolean): DirectiveSpec => ({
  options: ['open', 'header', 'footer', 'link', 'columns', 'gutter', 'margin', 'padding', 'sync', 'selected'],
  build(call) {
    const node = container(call, tagName, className, titled ? call.parseArg() : undefined, call.parseBody())
    // Without a title, the argument is layout (a grid's columns), which the style sheet decides here.
    if (tagName === 'details' && (call.options['open'] ?? call.options['selected']) !== undefined) node.open = true
    for (const key of ['header', 'footer'] as const) {
      const text = call.options[key]?.trim()
      if (!text) continue
      const [parsed] = call.context.parse(text, call.optionPlaces[key] ?? call.argPlace)
      if (parsed?.type !== 'paragraph') continue
      parsed.data = { ...parsed.data, hProperties: { className: [`card-${key}`] } }
      if (key === 'header') node.children.unshift(parsed)
      else node.children.push(parsed)
    }
    // `:link:` is an address, a file (`install.md`) or a label, resolved with the page's other links.
    // Without a title the link becomes one, its text the page's title or the label's ("Figure 2"), or the address.
    const link = call.options['link']?.trim()
    if (link && titled) node.title = [{ type: 'link', url: link, children: node.title ?? (/^[a-z][a-z0-9+.-]*:\/\//i.test(link) ? [{ type: 'text', value: link }] : []) }]
    return [node]
  },
})

const quoteLike = (name: string): DirectiveSpec => ({
  options: [],
  build(call) {
    const quote: RootContent = { type: 'blockquote', children: call.parseBody() as FlowContent[] }
    if (call.node.position) quote.position = call.node.position
    // A last line starting with `--` or `—` becomes the attribution, as in any blockquote (markdown/quotes.ts).
    return [container(call, 'div', [name], undefined, [quote])]
  },
})

export const containerSpecs: Record<string, DirectiveSpec> = {
  aside: simple('aside', ['aside'], true),
  margin: simple('aside', ['margin'], true),
  sidebar: simple('aside', ['sidebar'], true),
  dropdown: simple('details', ['dropdown'], true),
  div: {
    options: [],
    build: (call) => [container(call, 'div', call.arg.split(/\s+/).filter(Boolean), undefined, call.parseBody())],
  },
  card: simple('div', ['card'], true),
  grid: simple('div', ['grid'], false),
  'grid-item': simple('div', ['grid-item'], false),
  'grid-item-card': simple('div', ['card'], true),
  'tab-set': { options: ['sync-group'], build: tabSet },
  'tab-item': simple('details', ['tab-item'], true),
  // Index entries are accepted; the site has no index page, so they are left out without a word.
  index: { options: [], build: () => [] },
  epigraph: quoteLike('epigraph'),
  'pull-quote': quoteLike('pull-quote'),
  blockquote: quoteLike('blockquote'),
  glossary: { options: ['sorted'], build: glossary },
  tableofcontents: { options: ['maxdepth', 'context', 'caption', 'hidden', 'numbered', 'titlesonly'], build: contents },
  toc: { options: ['maxdepth', 'context', 'caption', 'hidden', 'numbered', 'titlesonly'], build: contents },
  // Where the page's references go; without it they go at the end. The site also has a bibliography page.
  bibliography: { options: ['style', 'filter', 'all'], build: () => [{ type: 'references', entries: [] }] },
}

/**
 * Tabs without a script: each tab is a disclosure, its title always shown and
 * its content a click away, the first one (or the one marked `:selected:`) open.
 */
function tabSet(call: DirectiveCall): RootContent[] {
  const node = container(call, 'div', ['tab-set'], undefined, call.parseBody())
  const tabs = node.children.filter((c): c is Container => c.type === 'container' && c.className.includes('tab-item'))
  const chosen = tabs.find((t) => t.open) ?? tabs[0]
  for (const tab of tabs) tab.open = tab === chosen
  return [node]
}

function contents(call: DirectiveCall): RootContent[] {
  const node: ContentsList = { type: 'contentsList' }
  if (call.node.position) node.position = call.node.position
  return [node]
}

/**
 * A glossary's body is a definition list: a term on a line of its own, then
 * its definition on lines that start with `: ` or are indented.
 */
function glossary(call: DirectiveCall): RootContent[] {
  const lines = call.body.split('\n')
  const entries: RootContent[] = []
  let terms: { text: string; line: number }[] = []
  let definition: { lines: string[]; line: number; width: number } | undefined

  const finish = () => {
    if (terms.length === 0) return
    for (const term of terms) {
      const place = { line: term.line, column: call.bodyOrigin.column }
      const [parsed] = call.context.parse(term.text, place)
      const title: PhrasingContent[] = parsed?.type === 'paragraph' ? parsed.children : [{ type: 'text', value: term.text }]
      // A term written as a link or with markup is found by its text, as MyST does.
      const dt: Container = {
        type: 'container',
        tagName: 'dt',
        className: [],
        title,
        label: termId(toString({ type: 'paragraph', children: title }) || term.text),
        targetKind: 'term',
        children: [],
      }
      dt.position = { start: { ...place }, end: { line: term.line, column: place.column + term.text.length } }
      entries.push(dt)
    }
    const body = definition ? call.context.parse(definition.lines.join('\n'), { line: definition.line, column: call.bodyOrigin.column + definition.width }) : []
    entries.push({ type: 'container', tagName: 'dd', className: [], title: undefined, label: undefined, targetKind: undefined, children: body as FlowContent[] })
    terms = []
    definition = undefined
  }

  lines.forEach((line, i) => {
    const at = call.bodyOrigin.line + i
    const marker = /^(:\s+)(.*)$/.exec(line)
    if (marker) {
      definition ??= { lines: [], line: at, width: marker[1]!.length }
      definition.lines.push(marker[2]!)
    } else if (/^\s+\S/.test(line) && (definition || terms.length > 0)) {
      const width = definition?.width ?? (/^\s+/.exec(line)?.[0].length ?? 0)
      definition ??= { lines: [], line: at, width }
      definition.lines.push(line.slice(Math.min(width, /^\s*/.exec(line)![0].length)))
    } else if (line.trim() === '') {
      definition?.lines.push('')
    } else {
      if (definition) finish()
      terms.push({ text: line.trim(), line: at })
    }
  })
  finish()
  if (entries.length === 0) {
    call.context.messages.push(
      createMessage(
        'directive-has-content',
        call.context.file.display,
        call.node,
        '`{glossary}` has no terms',
        'Write each term on its own line, followed by its definition on a line starting with `: `.',
      ),
    )
  }
  return [container(call, 'dl', ['glossary'], undefined, entries)]
}
