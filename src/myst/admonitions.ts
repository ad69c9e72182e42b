// MyST's admonitions become our callouts: the kinds our dialect has, plus
// MyST's own. `{admonition}` takes its title from the argument and its kind
// from `:class:`; `:class: dropdown` folds the callout behind its title.

import type { RootContent } from 'mdast'
import type { Callout, CalloutKind, FlowContent } from '../markdown/nodes.js'
import { classesOf, labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'

const kinds: readonly CalloutKind[] = ['note', 'tip', 'hint', 'important', 'warning', 'caution', 'attention', 'danger', 'error', 'seealso']

function buildCallout(call: DirectiveCall, kind: CalloutKind): RootContent[] {
  const classes = classesOf(call)
  const title = call.parseArg()
  const callout: Callout = {
    type: 'callout',
    kind: (classes.find((c) => (kinds as readonly string[]).includes(c)) as CalloutKind | undefined) ?? kind,
    title: title.length > 0 ? title : undefined,
    children: call.parseBody() as FlowContent[],
  }
  if (classes.includes('dropdown') || call.options['open'] !== undefined) {
    callout.dropdown = call.options['open'] !== undefined ? 'open' : 'closed'
  }
  const label = labelOf(call)
  if (label) callout.label = label
  if (call.node.position) callout.position = call.node.position
  return [callout]
}

// Admonitions here have no icons to turn off, so `icon` is accepted and changes nothing.
const options = ['open', 'icon'] as const

export const admonitionSpecs: Record<string, DirectiveSpec> = {
  ...Object.fromEntries(kinds.map((kind): [string, DirectiveSpec] => [kind, { options, build: (call) => buildCallout(call, kind) }])),
  'see-also': { options, build: (call) => buildCallout(call, 'seealso') },
  admonition: { options, build: (call) => buildCallout(call, 'note') },
}
