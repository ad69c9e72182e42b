// `{tableofcontents}` lists the report's chapters where it is written. Its
// node waits until the contents are known, and becomes a nested list of
// resolved links here.

import type { List, ListItem, PhrasingContent, Root } from 'mdast'
import type { Parent } from 'unist'
import { visit } from '../markdown/visit.js'
import type { ContentsNode } from '../load/toc.js'
import type { SiteIndex } from './index.js'

export function resolveContents(tree: Root, contents: ContentsNode[], index: SiteIndex): void {
  visit(tree, 'contentsList', (node, position, parent: Parent | undefined) => {
    if (!parent || position === undefined) return
    const list = listOf(contents, index)
    if (node.position) list.position = node.position
    parent.children.splice(position, 1, list)
  })
}

function listOf(nodes: ContentsNode[], index: SiteIndex): List {
  return {
    type: 'list',
    ordered: false,
    spread: false,
    data: { hProperties: { className: ['contents-list'] } },
    children: nodes.map((node): ListItem => {
      if (node.kind === 'link') {
        return item([{ type: 'link', url: node.url, children: [{ type: 'text', value: node.title }] }])
      }
      const slug = node.slug
      const page = slug === undefined ? undefined : index.pagesBySlug.get(slug)
      const label = node.kind === 'part' ? node.title : (page?.title ?? slug ?? '')
      const head =
        page && slug !== undefined
          ? { type: 'link' as const, url: '', data: { target: { page: slug, anchor: undefined } }, children: [{ type: 'text' as const, value: label }] }
          : { type: 'text' as const, value: label }
      const result = item([head])
      if (node.kind === 'part') result.children.push(listOf(node.children, index))
      return result
    }),
  }
}

function item(children: PhrasingContent[]): ListItem {
  return { type: 'listItem', spread: false, children: [{ type: 'paragraph', children }] }
}
