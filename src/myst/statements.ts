// Theorems, lemmas, definitions and the other proof kinds (`{prf:theorem}`,
// `{proof:lemma}`, plain `{proof}`), and exercises with their solutions, as
// MyST writes them. Each kind is numbered on its own across the report
// ("Theorem 1", "Lemma 1", "Exercise 2"; see site/targets.ts), a title
// follows in parentheses, and a solution's title links back to its exercise:
// "Solution to Exercise 2". `:nonumber:` (or `:enumerated: false`) leaves the
// number out, `:hidden:` leaves the block out of the site, and
// `:class: dropdown` folds it behind its title.

import type { Data, Link, Paragraph, Parent, PhrasingContent, RootContent } from 'mdast'
import { createMessage } from '../messages.js'
import type { FlowContent } from '../markdown/nodes.js'
import type { DirectiveCall, DirectiveSpec } from './directives.js'
import { classesOf, labelOf } from './options.js'

/** MyST's proof kinds, plus `notation`, which some books use in the same way. */
export const proofKinds = [
  'proof',
  'axiom',
  'lemma',
  'definition',
  'criterion',
  'remark',
  'conjecture',
  'corollary',
  'algorithm',
  'example',
  'property',
  'observation',
  'proposition',
  'assumption',
  'theorem',
  'notation',
] as const

export type StatementKind = (typeof proofKinds)[number] | 'exercise'

/** A proof-like block, an exercise or a solution. */
export interface Statement extends Parent {
  type: 'statement'
  kind: StatementKind | 'solution'
  label: string | undefined
  /** Numbered in its kind's own sequence. Solutions never are. */
  enumerated: boolean
  className: string[]
  /** Folded behind its title (`:class: dropdown`). Default: shown. */
  dropdown: boolean
  /** The first child is the title paragraph when this is true, so that links and roles in it are resolved like any others. */
  titled: boolean
  children: FlowContent[]
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    statement: Statement
  }
  interface RootContentMap {
    statement: Statement
  }
}

/** "Theorem", "Exercise": how a kind is named in titles and link text. */
export function kindName(kind: StatementKind | 'solution'): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

const hidden = (call: DirectiveCall) => call.options['hidden'] !== undefined && call.options['hidden'] !== 'false'

function isEnumerated(call: DirectiveCall): boolean {
  const nonumber = call.options['nonumber']
  if (nonumber !== undefined) return nonumber === 'false'
  return !['false', 'no', '0'].includes((call.options['enumerated'] ?? 'true').trim().toLowerCase())
}

function statement(call: DirectiveCall, kind: Statement['kind'], title: PhrasingContent[], enumerated: boolean): Statement {
  const classes = classesOf(call)
  const children = call.parseBody() as FlowContent[]
  const heading: Paragraph[] = title.length > 0 ? [{ type: 'paragraph', children: title }] : []
  const node: Statement = {
    type: 'statement',
    kind,
    label: labelOf(call),
    enumerated,
    className: classes.filter((c) => c !== 'dropdown'),
    dropdown: classes.includes('dropdown'),
    titled: heading.length > 0,
    children: [...heading, ...children],
  }
  if (call.node.position) node.position = call.node.position
  return node
}

const options = ['nonumber', 'enumerated', 'hidden'] as const

function proof(kind: StatementKind): DirectiveSpec {
  return { options, build: (call) => (hidden(call) ? [] : [statement(call, kind, call.parseArg(), isEnumerated(call))]) }
}

function solution(call: DirectiveCall): RootContent[] {
  if (hidden(call)) return []
  const exercise = call.arg.trim()
  if (exercise === '') {
    call.context.messages.push(
      createMessage(
        'solution-names-exercise',
        call.context.file.display,
        call.node,
        '`{solution}` does not name the exercise it solves, so it has no title',
        'Write the exercise\'s label after the directive\'s name: `:::{solution} ex-first`.',
      ),
    )
    return [statement(call, 'solution', [], false)]
  }
  // Filled in with "Exercise 2" once every page's exercises are numbered.
  const link: Link = { type: 'link', url: `#${exercise}`, children: [], data: { role: 'solution' } }
  link.position = { start: { ...call.argPlace }, end: { line: call.argPlace.line, column: call.argPlace.column + exercise.length } }
  return [statement(call, 'solution', [{ type: 'text', value: 'Solution to ' }, link], false)]
}

const aliases: Record<string, StatementKind> = { criteria: 'criterion' }

export const statementSpecs: Record<string, DirectiveSpec> = {
  ...Object.fromEntries(
    [...proofKinds, ...Object.keys(aliases)].flatMap((name) => {
      const kind = aliases[name] ?? (name as StatementKind)
      const spec = proof(kind)
      return name === 'proof' ? [['proof', spec], ['prf:proof', spec], ['proof:proof', spec]] : [[`prf:${name}`, spec], [`proof:${name}`, spec]]
    }),
  ),
  exercise: proof('exercise'),
  solution: { options: ['hidden'], build: solution },
}
