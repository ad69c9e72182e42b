// Read the page templates into memory, so rendering never touches the disk.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { TemplateFiles } from '../render/templates.js'

export async function loadTemplates(dir: string): Promise<TemplateFiles> {
  const templates: TemplateFiles = new Map()
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.liquid')) templates.set(name, await readFile(path.join(dir, name), 'utf8'))
  }
  return templates
}
