// The programmatic API, what `import { build } from 'fieldnotes'` gives: the
// commands of the command line as functions that return their messages
// instead of printing them. docs/api.md describes each.

import { build, type BuildOptions, type BuildResult } from './build.js'
import type { DevServerOptions, DevUpdate } from './dev/server.js'

export { build }
export { init } from './init/init.js'
export type { BuildOptions, BuildResult }
export type { InitOptions, InitResult } from './init/init.js'
export type { Message, Place } from './messages.js'
export type { RuleId, Severity } from './rules.js'
export type { DevServerOptions as DevOptions, DevUpdate }

/** Every check of `build`, with nothing written: `fieldnotes check`. */
export type CheckOptions = Omit<BuildOptions, 'write' | 'pdf' | 'docx'>

export function check(options: CheckOptions = {}): Promise<BuildResult> {
  return build({ ...options, write: false })
}

/** A running preview. */
export interface DevServer {
  /** Where it serves the site, such as `http://127.0.0.1:4321/`. */
  url: string
  /** Stop serving and watching. */
  close(): Promise<void>
}

/** Serve the report on 127.0.0.1 from memory, rebuilding and reloading pages as files change: `fieldnotes dev`. Rejects when the port is taken. */
export async function dev(options: DevServerOptions = {}): Promise<DevServer> {
  // Loaded only when asked for, so that `build` does not load the watcher and server.
  const { startDevServer } = await import('./dev/server.js')
  const server = await startDevServer(options)
  return { url: server.url, close: () => server.close() }
}

/** Whether these messages fail a run: any error, or with `strict` any warning too. The command line exits with 1 then. */
export { isFailing } from './messages.js'
export { formatMessage, formatSummary } from './report.js'
