// Our own findings and recommendations, written as MyST directives:
//
//   :::{finding}
//   :label: slow-review
//   ## Pull requests wait too long
//   :::
//
// The id comes from `:label:` (or `:name:`), the title from the first heading
// of the body, or from the argument when the body has no heading. They make
// the same nodes as `:::finding{#slow-review}`, which MyST pages may also use.

import type { Heading, PhrasingContent, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { createMessage } from '../messages.js'
import type { AddressedId, Finding, FlowContent, Horizon, Recommendation } from '../markdown/nodes.js'
import { didYouMean } from '../suggest.js'
import { labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'

const horizons: readonly Horizon[] = ['short', 'medium', 'long', 'ongoing']

function titled(call: DirectiveCall, what: 'finding' | 'recommendation'): Omit<Finding, 'type'> | undefined {
  const { context } = call
  const id = labelOf(call) ?? call.options['id']?.trim()
  if (!id) {
    context.messages.push(
      createMessage(
        'directive-id-present',
        context.file.display,
        call.node,
        `This ${what} has no id`,
        `Give it a short, stable id on the line after the fence: \`:label: ${what === 'finding' ? 'slow-review' : 'r-faster-review'}\`.`,
      ),
    )
    return undefined
  }
  const body = call.parseBody() as FlowContent[]
  const [first] = body
  let title: PhrasingContent[]
  let depth = 2
  let children = body
  if (first?.type === 'heading') {
    title = (first as Heading).children
    depth = (first as Heading).depth
    children = body.slice(1)
  } else {
    title = call.parseArg()
  }
  if (title.length === 0) {
    context.messages.push(
      createMessage(
        'directive-has-title',
        context.file.display,
        first ?? call.node,
        `The ${what} \`${id}\` has no title`,
        `Start its body with a heading, such as \`## Pull requests wait too long\`, or write the title after \`{${what}}\`.`,
      ),
    )
    return undefined
  }
  const node = { id, title, titleText: toString({ type: 'paragraph', children: title }), depth, children }
  return call.node.position ? { ...node, position: call.node.position } : node
}

export const itemSpecs: Record<string, DirectiveSpec> = {
  finding: {
    options: ['id'],
    build(call) {
      const parts = titled(call, 'finding')
      return parts ? [{ type: 'finding', ...parts } satisfies Finding] : (call.parseBody() as RootContent[])
    },
  },
  recommendation: {
    options: ['id', 'addresses', 'audience', 'horizon'],
    build(call) {
      const parts = titled(call, 'recommendation')
      if (!parts) return call.parseBody() as RootContent[]
      const { context } = call
      const idsAt = (key: string): { word: string; place: { line: number; column: number } }[] => {
        const place = call.optionPlaces[key]
        const line = place ? context.source.line(place.line) : ''
        let from = line.indexOf(`:${key}:`) + key.length + 2
        return (call.options[key] ?? '').split(/[\s,]+/).filter(Boolean).map((word) => {
          const column = line.indexOf(word, from)
          from = column >= 0 ? column + word.length : from
          return { word, place: { line: place?.line ?? 1, column: column >= 0 ? column + 1 : 1 } }
        })
      }
      const addresses: AddressedId[] = idsAt('addresses').map(({ word, place }) => ({ id: word, place }))
      const chosen: Horizon[] = []
      for (const { word, place } of idsAt('horizon')) {
        if ((horizons as readonly string[]).includes(word)) {
          chosen.push(word as Horizon)
          continue
        }
        const hint = didYouMean(word, horizons)
        context.messages.push(
          createMessage(
            'horizon-valid',
            context.file.display,
            place,
            `Unknown horizon \`${word}\` on recommendation \`${parts.id}\``,
            `Use one or more of: ${horizons.join(', ')}${hint ? ` (${hint})` : ''}.`,
          ),
        )
      }
      const audience = call.options['audience']?.trim()
      const recommendation: Recommendation = { type: 'recommendation', ...parts, addresses, audience: audience || undefined, horizons: chosen }
      return [recommendation]
    },
  },
}
