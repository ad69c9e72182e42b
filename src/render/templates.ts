// LiquidJS with escaping on and strict variables and filters, reading its
// templates from memory: the loader has already read them, so rendering is
// pure and the dev server can swap templates without touching the disk. The
// report's overrides (load/templates.ts) are in the same map and rendered by
// the same engine, so they are escaped exactly as the built-in ones.

import { Liquid, type FS } from 'liquidjs'
import { evidenceBodies, findingSections, recommendationRows } from './rows.js'

export type TemplateFiles = Map<string, string>

/** Each engine's templates, to tell which one an error is in. */
const engineTemplates = new WeakMap<Liquid, TemplateFiles>()

// An engine keeps the templates it parsed: a session that builds again with the same templates uses the same one.
const engines = new WeakMap<TemplateFiles, Liquid>()

/** The Liquid engine for `templates`, made once for each set of templates. */
export function createEngine(templates: TemplateFiles): Liquid {
  let engine = engines.get(templates)
  if (!engine) {
    engine = newEngine(templates)
    engines.set(templates, engine)
  }
  return engine
}

function newEngine(templates: TemplateFiles): Liquid {
  const fs: FS = {
    sep: '/',
    exists: async (file) => templates.has(file),
    existsSync: (file) => templates.has(file),
    readFile: async (file) => read(templates, file),
    readFileSync: (file) => read(templates, file),
    // Names are looked up as they are: `../x` names no template, so nothing outside the map is read.
    resolve: (_root, file, ext) => (file.endsWith(ext) ? file : `${file}${ext}`),
    contains: async () => true,
    containsSync: () => true,
    dirname: (file) => file.split('/').slice(0, -1).join('/'),
  }
  const engine = new Liquid({
    fs,
    root: [''],
    extname: '.liquid',
    outputEscape: 'escape',
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    cache: true,
    greedy: false,
    // Overrides come from content: a loop over a billion numbers or a string doubled forty times
    // fails the build at its line rather than stalling it. Far past what any page needs.
    memoryLimit: 250_000_000,
    renderLimit: 30_000,
    parseLimit: 100_000_000,
  })
  // The long lists of the index pages, made in code (rows.ts): the built-in templates call these, and an override may.
  engine.registerFilter('finding_sections', (themes: unknown, root: unknown) => findingSections(listFor('finding_sections', 'page.themes', themes), rootFor('finding_sections', root)))
  engine.registerFilter('evidence_rows', (page: unknown, root: unknown) => {
    listFor('evidence_rows', 'page', (page as { themes?: unknown } | null)?.themes)
    return evidenceBodies(page as Parameters<typeof evidenceBodies>[0], rootFor('evidence_rows', root))
  })
  engine.registerFilter('recommendation_rows', (rows: unknown, root: unknown) => recommendationRows(listFor('recommendation_rows', 'page.recommendations', rows), rootFor('recommendation_rows', root)))
  engineTemplates.set(engine, templates)
  return engine
}

/** Where a template failed: the template the error is in (a partial, or a layout, rather than the page's own template), line and column. */
export function templateFailure(engine: Liquid, rendered: string, error: unknown): { template: string; line: number; column: number } | undefined {
  const token = (error as { token?: FailedToken } | undefined)?.token
  const text = error instanceof Error ? error.message : String(error)
  const at = /line:(\d+), col:(\d+)/.exec(text)
  if (!at) return undefined
  const place = { line: Number(at[1]), column: Number(at[2]) }
  const named = token ? fileOf(token) : undefined
  if (named !== undefined) return { template: named, ...place }
  // Render errors carry the failing template's text rather than its name.
  const templates = engineTemplates.get(engine)
  const found = token?.input === undefined || !templates ? undefined : [...templates].find(([, source]) => source === token.input)?.[0]
  return { template: found ?? rendered, ...place }
}

interface FailedToken {
  file?: string
  input?: string
  props?: FailedToken[]
}

function fileOf(token: FailedToken): string | undefined {
  return token.file ?? token.props?.map(fileOf).find((file) => file !== undefined)
}

/** What a list filter was given, when it is the list it takes; otherwise an error that says what to give it. */
function listFor<T>(filter: string, takes: string, value: unknown): T[] {
  if (!Array.isArray(value)) throw new Error(`The filter ${filter} takes ${takes}, as the built-in template gives it: \`{{ ${takes} | ${filter}: page.root | raw }}\``)
  return value as T[]
}

function rootFor(filter: string, root: unknown): string {
  if (typeof root !== 'string') throw new Error(`The filter ${filter} takes the way to the site's root after it: \`${filter}: page.root\``)
  return root
}

function read(templates: TemplateFiles, file: string): string {
  const text = templates.get(file)
  if (text === undefined) throw new Error(`No template named ${file}`)
  return text
}
