// A cross-reference inside a finding or recommendation that points at that
// same item (`[](#slow-review)` within `:::finding{#slow-review}`) links the
// reader to where they already are. It resolves and renders like any other
// reference (its text comes from the item's title, so nothing loops), but it
// is almost always a slip: a warning at its place. Pure: one tree in, messages out.

import type { Nodes, Root } from 'mdast'
import { createMessage, placeOf, type Message } from '../messages.js'
import { decode } from './paths.js'

export function checkSelfReferences(tree: Root, file: string): Message[] {
  const messages: Message[] = []
  const walk = (node: Nodes, inside: readonly string[]) => {
    if (node.type === 'link' && node.url.startsWith('#')) {
      const id = decode(node.url.slice(1))
      if (inside.includes(id)) {
        messages.push(
          createMessage(
            'reference-target-not-self',
            file,
            placeOf(node),
            `This reference points to \`${id}\`, the item it is written in`,
            'Point it to another finding or recommendation, or remove the link and keep its words.',
          ),
        )
      }
    }
    if (!('children' in node)) return
    const here = node.type === 'finding' || node.type === 'recommendation' ? [...inside, node.id] : inside
    // The title is written in the item too: a reference there points to itself as well.
    if (node.type === 'finding' || node.type === 'recommendation') for (const child of node.title) walk(child, here)
    for (const child of node.children as Nodes[]) walk(child, here)
  }
  walk(tree, [])
  return messages
}

