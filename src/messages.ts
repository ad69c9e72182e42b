// Problems are data: every message names a file, a position, a rule and, where
// we can, how to fix it. Library code collects them; only the CLI prints.

import { severityOf, strictErrors, type Dialect, type RuleId, type Severity } from './rules.js'

export interface Place {
  line: number
  column: number
}

export interface Message {
  /** Path of the file, relative to the content folder's parent (what the author sees). */
  file: string
  line: number
  column: number
  severity: Severity
  ruleId: RuleId
  reason: string
  /** How to fix it, in one sentence. */
  hint?: string
}

/** Something with a unist position, or a bare place. */
export interface Positioned {
  position?: { start: Place } | undefined
}

export function placeOf(node: Positioned | Place | undefined): Place {
  if (!node) return { line: 1, column: 1 }
  if ('line' in node) return { line: node.line, column: node.column }
  return node.position ? { line: node.position.start.line, column: node.position.start.column } : { line: 1, column: 1 }
}

export function createMessage(
  ruleId: RuleId,
  file: string,
  at: Positioned | Place | undefined,
  reason: string,
  hint?: string,
): Message {
  const { line, column } = placeOf(at)
  const message: Message = { file, line, column, severity: severityOf(ruleId), ruleId, reason }
  if (hint !== undefined) message.hint = hint
  return message
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export function sortMessages(messages: readonly Message[]): Message[] {
  return [...messages].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      severityRank[a.severity] - severityRank[b.severity] ||
      a.ruleId.localeCompare(b.ruleId),
  )
}

export function countBySeverity(messages: readonly Message[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  for (const m of messages) counts[m.severity]++
  return counts
}

/** Each message at its rule's severity in the project's dialect: the one place the dialects' severities part (rules.ts). */
export function inDialect(messages: readonly Message[], dialect: Dialect): Message[] {
  if (dialect === 'report') return [...messages]
  return messages.map((m) => {
    const severity = severityOf(m.ruleId, dialect)
    // Only a rule's own severity is replaced: a message raised or lowered on purpose where it was made keeps its own.
    return severity === m.severity || m.severity !== severityOf(m.ruleId) ? m : { ...m, severity }
  })
}

/** Under --strict, the rules in `strictErrors` are errors (warnings already fail the run). */
export function applyStrict(messages: readonly Message[], strict: boolean): Message[] {
  if (!strict) return [...messages]
  return messages.map((m) => (strictErrors.includes(m.ruleId) && m.severity !== 'error' ? { ...m, severity: 'error' } : m))
}

/** Does this set of messages stop the build? Warnings do only under --strict. */
export function isFailing(messages: readonly Message[], strict: boolean): boolean {
  return messages.some((m) => m.severity === 'error' || (strict && m.severity === 'warning'))
}

/** The line and column of a character offset in a text. */
export function placeAt(text: string, offset: number): Place {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}
