// A failure of fieldnotes itself (a bug, or input no check foresaw) must not
// reach the author as a stack trace, or leave anything half-written: it
// becomes an `internal-error` message naming the file being processed, and the
// build writes nothing.

import { createMessage, type Message } from './messages.js'

export function internalError(error: unknown, file: string, doing: string): Message {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return createMessage(
    'internal-error',
    file,
    undefined,
    `fieldnotes failed while ${doing}: ${what.split('\n')[0]}`,
    'This is a fault in fieldnotes, not necessarily in your report. Nothing was written. Please report it with this message and, if you can, the file (see SECURITY.md).',
  )
}

/** A failure of code the report brought with it (a plugin), not of fieldnotes: it says itself what to report, given the file it happened on. */
export class ForeignError extends Error {
  constructor(readonly reportOn: (file: string | undefined) => Message) {
    super(reportOn(undefined).reason)
  }
}

/** Run one step for one file; if it throws, report that and go on with `fallback`. */
export function guarded<T>(file: string, doing: string, messages: Message[], run: () => T, fallback: () => T): T {
  try {
    return run()
  } catch (error) {
    messages.push(error instanceof ForeignError ? error.reportOn(file) : internalError(error, file, doing))
    return fallback()
  }
}
