// Read the page templates into memory, so rendering never touches the disk:
// the generator's own, and the report's overrides from the `templates/` folder
// beside report.yml, which replace a built-in template or partial of the same
// file name. Liquid then reads only from this map (render/templates.ts), so no
// template can reach a file outside these two folders.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { TemplateFiles } from '../render/templates.js'

/** The folder of overrides, inside the content folder. */
export const overridesFolder = 'templates'

export async function loadTemplates(dir: string): Promise<TemplateFiles> {
  const templates: TemplateFiles = new Map()
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.liquid')) templates.set(name, await readFile(path.join(dir, name), 'utf8'))
  }
  return templates
}

export interface TemplateOverrides {
  /** Template text by file name. */
  templates: TemplateFiles
  /** Where each override is, as messages show it (`content/templates/footer.liquid`), by file name. */
  shown: Record<string, string>
}

/** The report's overrides: every regular `.liquid` file directly in `templates/` of the content folder. Symbolic links are not followed. */
export async function loadTemplateOverrides(contentDir: string): Promise<TemplateOverrides> {
  const dir = path.join(path.resolve(contentDir), overridesFolder)
  const shownDir = path.relative(process.cwd(), dir) || '.'
  const overrides: TemplateOverrides = { templates: new Map(), shown: {} }
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return overrides
    throw error
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isFile() || !entry.name.endsWith('.liquid')) continue
    overrides.templates.set(entry.name, await readFile(path.join(dir, entry.name), 'utf8'))
    overrides.shown[entry.name] = path.join(shownDir, entry.name).split(path.sep).join('/')
  }
  return overrides
}

/** The built-in templates with the report's overrides in place of those of the same name. */
export function withOverrides(builtIn: TemplateFiles, overrides: TemplateOverrides): TemplateFiles {
  return new Map([...builtIn, ...overrides.templates])
}
