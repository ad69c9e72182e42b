// Links to other sites by name, as MyST writes them: `xref:` to a project
// listed under `project.references` in myst.yml, and `wiki:` to Wikipedia.
// MyST fetches the other site's index of labels to fill in titles; the build
// here never touches the network, so each becomes a plain link to the page and
// anchor it names, with the author's text, or else the label or page name.

import type { Link, PhrasingContent, Root } from 'mdast'
import { createMessage, type Message } from '../messages.js'
import { hintFor } from '../suggest.js'
import type { PageFacts } from './collect.js'
import { htmlId } from './labels.js'
import { visitLinks } from './links.js'
import { decode } from '../markdown/paths.js'

/** `project.references` of myst.yml: a name for each other project, and its address. */
export type ExternalReferences = Readonly<Record<string, string>>

const wikipedia = (language: string) => `https://${language}.wikipedia.org/wiki/`

export function resolveExternalLinks(tree: Root, page: PageFacts, references: ExternalReferences): Message[] {
  const messages: Message[] = []
  const unknown: Link[] = []
  visitLinks(tree, (node) => {
    const written = node.url
    // `myst:` is MyST's older spelling of `xref:`.
    const xref = /^(?:xref|myst):(.*)$/is.exec(written)
    if (xref) {
      const target = xrefTarget(xref[1]!, references)
      if (!target) {
        unknown.push(node)
        const key = /^[^/#]*/.exec(xref[1]!)![0]
        const names = Object.keys(references)
        messages.push(
          createMessage(
            'xref-project-known',
            page.file,
            node,
            names.length === 0
              ? `\`${written}\` names the project \`${key}\`, and myst.yml lists no other projects under \`project.references\``
              : `\`${written}\` names the project \`${key}\`, which \`project.references\` in myst.yml does not list`,
            hintFor(key, names, `Add \`${key || 'name'}: https://…\` (the other site's address) under \`project.references\` in myst.yml.`),
          ),
        )
        return
      }
      node.url = target.url
      fillText(node, written, target.text)
      return
    }
    const wiki = /^wiki:(.*)$/is.exec(written)
    if (wiki) {
      const { url, title } = wikiTarget(wiki[1]!)
      node.url = url
      fillText(node, written, title)
    }
  })
  // A link with nowhere to go is shown as its text, never as an `<a>` without an address.
  if (unknown.length > 0) unwrap(tree, new Set(unknown))
  return messages
}

/** `name/page#label`: the other site's address, then the page, then the label's html id, as MyST sites name their anchors. */
function xrefTarget(rest: string, references: ExternalReferences): { url: string; text: string } | undefined {
  const hashAt = rest.indexOf('#')
  const path = hashAt < 0 ? rest : rest.slice(0, hashAt)
  const label = hashAt < 0 ? '' : decode(rest.slice(hashAt + 1))
  const slash = path.indexOf('/')
  const key = slash < 0 ? path : path.slice(0, slash)
  const pagePath = slash < 0 ? '' : path.slice(slash).replace(/\/+$/, '')
  if (!Object.hasOwn(references, key)) return undefined
  const base = references[key]!.replace(/\/+$/, '')
  const anchor = label === '' ? '' : `#${htmlId(label) || encodeURIComponent(label)}`
  const url = `${base}${pagePath === '' && anchor === '' ? '/' : pagePath}${anchor}`
  const text = label || (pagePath === '' ? base.replace(/^https?:\/\//i, '') : decode(pagePath.slice(1)))
  return { url, text }
}

/** `Page_name`, or `fr:Page_name` for another language's Wikipedia (its interlanguage prefix). */
function wikiTarget(rest: string): { url: string; title: string } {
  const language = /^([a-z]{2,3}(?:-[a-z]+)?):(.+)$/i.exec(rest.trim())
  const page = (language ? language[2]! : rest)
    .trim()
    .replace(/\s+/g, '_')
    .replace(/^_+|_+$/g, '')
  const base = wikipedia(language ? language[1]!.toLowerCase() : 'en')
  return { url: `${base}${page}`, title: decode(page).replace(/_/g, ' ') }
}

/** Give an empty link, or one whose text is its address as written (`<xref:…>`), the generated text. */
function fillText(node: Link, written: string, text: string): void {
  const only = node.children.length === 1 ? node.children[0] : undefined
  if (node.children.length === 0 || (only?.type === 'text' && only.value === written)) node.children = [{ type: 'text', value: text }]
}

function unwrap(tree: Root, links: ReadonlySet<Link>): void {
  const walk = (children: PhrasingContent[]): PhrasingContent[] =>
    children.flatMap((child) => {
      if (child.type === 'link' && links.has(child)) return child.children.length > 0 ? child.children : [{ type: 'text' as const, value: child.url }]
      if ('children' in child && Array.isArray(child.children)) (child as { children: PhrasingContent[] }).children = walk(child.children as PhrasingContent[])
      for (const key of ['title', 'caption'] as const) {
        const inline = (child as unknown as Record<string, unknown>)[key]
        if (Array.isArray(inline)) (child as unknown as Record<string, unknown>)[key] = walk(inline as PhrasingContent[])
      }
      return [child]
    })
  tree.children = walk(tree.children as unknown as PhrasingContent[]) as unknown as Root['children']
}

