// Format messages for a terminal and for GitHub Actions' annotations.

import { countBySeverity, type Message } from './messages.js'

export function formatMessage(message: Message): string {
  const head = `${message.file}:${message.line}:${message.column}  ${message.severity}  ${message.reason}  ${message.ruleId}`
  return message.hint ? `${head}\n    hint: ${message.hint}` : head
}

export function formatSummary(messages: readonly Message[]): string {
  const counts = countBySeverity(messages)
  if (messages.length === 0) return 'No problems found.'
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`
}

/** A GitHub Actions workflow command, so the problem shows on the pull request's diff. */
export function formatAnnotation(message: Message): string {
  const command = message.severity === 'error' ? 'error' : message.severity === 'warning' ? 'warning' : 'notice'
  const property = (value: string) => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C')
  const data = (value: string) => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  const text = message.hint ? `${message.reason}\n${message.hint}` : message.reason
  return `::${command} file=${property(message.file)},line=${message.line},col=${message.column},title=${property(message.ruleId)}::${data(text)}`
}
