// Checks on one chapter's structure that readers of every kind depend on:
// headings that go down one level at a time (the page outline and screen
// readers follow them) and images that say what they show. Pure: one tree in,
// messages out; nothing is changed.

import type { Definition, Heading, Image, ImageReference, Root } from 'mdast'
import { visit } from './visit.js'
import { createMessage, type Message } from '../messages.js'
import type { Finding, Recommendation } from './nodes.js'

export function checkStructure(tree: Root, file: string): Message[] {
  const messages: Message[] = []
  // The page template shows the chapter's title as its h1, so the body starts below it.
  let previous = 1
  visit(tree, (node) => {
    let depth: number
    let written: string
    let at: Heading | Finding | Recommendation
    if (node.type === 'heading') {
      at = node
      depth = node.depth
      written = '#'.repeat(node.depth)
    } else if (node.type === 'finding' || node.type === 'recommendation') {
      at = node
      // Their titles are shown at level 2 at least, whatever was written.
      depth = Math.max(node.depth, 2)
      written = `the ${node.type}'s title (${'#'.repeat(node.depth)})`
    } else return
    if (depth > previous + 1) {
      messages.push(
        createMessage(
          'heading-level-sequential',
          file,
          at,
          `The heading level jumps from ${previous} to ${depth}: ${written} follows a level-${previous} heading`,
          `Use ${'#'.repeat(previous + 1)} here, so that the outline and screen readers can follow the structure.`,
        ),
      )
    }
    previous = depth
  })

  const definitions = new Map<string, Definition>()
  visit(tree, 'definition', (node: Definition) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
  })
  visit(tree, (node) => {
    if (node.type !== 'image' && node.type !== 'imageReference') return
    const image = node as Image | ImageReference
    if ((image.alt ?? '').trim() !== '') return
    const url = image.type === 'image' ? image.url : (definitions.get(image.identifier)?.url ?? image.identifier)
    messages.push(
      createMessage(
        'image-has-alt',
        file,
        image,
        `The image \`${url}\` has no alt text`,
        'Say what the image shows between the brackets, such as `![Bar chart of survey responses by role](chart.png)`.',
      ),
    )
  })
  return messages
}
