// Import the plugins found by resolve.ts and wrap each one, so that when it
// throws the author learns which plugin, at its entry in report.yml, and on
// which chapter. Each thread that parses or renders loads them itself: a
// function cannot cross threads, but its URL and options can.

import { unified, type Plugin, type Transformer } from 'unified'
import { ForeignError } from '../guard.js'
import { createMessage, type Message } from '../messages.js'
import type { PluginSpec } from './resolve.js'

/** Plugins ready for `processor.use`, by the tree they work on. */
export interface LoadedPlugins {
  remark: Plugin[]
  rehype: Plugin[]
}

export const noPlugins: LoadedPlugins = { remark: [], rehype: [] }

/** Import each plugin; `loaded` lists the specs that loaded, the ones for worker threads to import. */
export async function loadPlugins(specs: readonly PluginSpec[]): Promise<{ plugins: LoadedPlugins; loaded: PluginSpec[]; messages: Message[] }> {
  const plugins: LoadedPlugins = { remark: [], rehype: [] }
  const loaded: PluginSpec[] = []
  const messages: Message[] = []
  for (const spec of specs) {
    const failed = (reason: string, hint: string) => messages.push(createMessage('plugin-loads', spec.file, spec.place, reason, hint))
    let attacher: unknown
    try {
      attacher = ((await import(spec.url)) as { default?: unknown }).default
    } catch (error) {
      failed(
        `The ${spec.phase} plugin \`${spec.name}\` could not be loaded: ${firstLine(error)}`,
        'Check that the plugin and what it imports are installed in the project, and that its file has no syntax error.',
      )
      continue
    }
    if (typeof attacher !== 'function') {
      failed(
        `The ${spec.phase} plugin \`${spec.name}\` does not export a unified plugin: its default export is ${attacher === undefined ? 'missing' : `a ${typeof attacher}`}`,
        'Name a remark or rehype plugin; a file of your own exports it as `export default function myPlugin(options) { ... }`.',
      )
      continue
    }
    const plugin = guardPlugin(spec, attacher as Plugin<[unknown?]>)
    // Set up once here, so that a plugin refusing its options is reported once, not once per chapter.
    try {
      unified().use(plugin).freeze()
    } catch (error) {
      messages.push(error instanceof ForeignError ? error.reportOn(undefined) : failure(spec, error, 'setup', undefined))
      continue
    }
    plugins[spec.phase].push(plugin)
    loaded.push(spec)
  }
  return { plugins, loaded, messages }
}

/** The plugin, with its options, reporting what it throws as a `plugin-runs` error rather than a fault of fieldnotes. */
function guardPlugin(spec: PluginSpec, attacher: Plugin<[unknown?]>): Plugin {
  function guardedAttacher(this: ThisParameterType<typeof attacher>) {
    let transformer: unknown
    try {
      transformer = spec.options === undefined ? attacher.call(this) : attacher.call(this, spec.options)
    } catch (error) {
      throw new ForeignError((file) => failure(spec, error, 'setup', file))
    }
    if (typeof transformer !== 'function') return undefined
    const run = transformer as (...args: Parameters<Transformer>) => unknown
    return function (...args: Parameters<Transformer>) {
      let result: unknown
      try {
        result = run(...args)
      } catch (error) {
        throw new ForeignError((file) => failure(spec, error, 'run', file))
      }
      if (result instanceof Promise) {
        result.catch(() => undefined)
        throw new ForeignError((file) => failure(spec, new Error('it returned a promise; plugins here must finish synchronously'), 'run', file))
      }
      return result
    }
  }
  return guardedAttacher as Plugin
}

/** A plugin threw while it was set up with its options, or while it changed the chapter `file`. */
function failure(spec: PluginSpec, error: unknown, stage: 'setup' | 'run', file: string | undefined): Message {
  const doing = stage === 'setup' ? 'while it was set up' : `while it changed ${file ?? 'a chapter'}`
  return createMessage(
    'plugin-runs',
    spec.file,
    spec.place,
    `The ${spec.phase} plugin \`${spec.name}\` threw an error ${doing}: ${firstLine(error)}`,
    'Check its options in report.yml against the plugin\'s documentation; removing the plugin shows whether the chapter builds without it.',
  )
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}
