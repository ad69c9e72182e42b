// The options every directive reads the same way. Kept apart from
// directives.ts, which imports every spec: a spec module that took these from
// there would be part of an import cycle, and whichever module loaded first
// would find the other's exports not yet defined.

import type { DirectiveCall } from './directives.js'

/** The label a directive gives its block: `:label:`, or Sphinx's `:name:`. */
export function labelOf(call: DirectiveCall): string | undefined {
  const label = call.option('label', 'name')?.trim()
  return label === '' ? undefined : label
}

/** Classes from `:class:`, as a list. */
export function classesOf(call: DirectiveCall): string[] {
  return (call.options['class'] ?? '').split(/\s+/).filter(Boolean)
}
