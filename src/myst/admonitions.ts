// MyST's admonitions become our callouts: the kinds our dialect has, plus
// MyST's own. `{admonition}` takes its title from the argument and its kind
// from `:class:`; other classes are kept for the page, and `:class: dropdown`
// folds the callout behind its title. A named admonition with an argument and
// no body (`{note} Mind the gap`) shows the argument as its text, as MyST does.

import type { RootContent } from 'mdast'
import type { Callout, CalloutKind, FlowContent } from '../markdown/nodes.js'
import { classesOf, labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'

const kinds: readonly CalloutKind[] = ['note', 'tip', 'hint', 'important', 'warning', 'caution', 'attention', 'danger', 'error', 'seealso']

function buildCallout(call: DirectiveCall, kind: CalloutKind): RootContent[] {
  const classes = classesOf(call)
  const title = call.parseArg()
  const body = call.parseBody() as FlowContent[]
  const folded = classes.includes('dropdown') || call.options['open'] !== undefined
  // As in MyST, an argument with no body is the admonition's text, not a title over nothing; a dropdown keeps it to show.
  const asText = title.length > 0 && body.length === 0 && !folded
  // Only `{admonition}` takes its kind from a class (`:class: tip`); a named kind keeps its own, and the class.
  const chosen = call.name === 'admonition' ? (classes.find((c) => (kinds as readonly string[]).includes(c)) as CalloutKind | undefined) : undefined
  const callout: Callout = {
    type: 'callout',
    kind: chosen ?? kind,
    title: title.length > 0 && !asText ? title : undefined,
    children: asText ? [{ type: 'paragraph', children: title }] : body,
  }
  if (folded) {
    callout.dropdown = call.options['open'] !== undefined ? 'open' : 'closed'
  }
  const rest = classes.filter((c) => c !== 'dropdown' && c !== chosen)
  if (rest.length > 0) callout.className = rest
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
