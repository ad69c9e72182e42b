// LiquidJS with escaping on and strict variables and filters, reading its
// templates from memory: the loader has already read them, so rendering is
// pure and the dev server can swap templates without touching the disk.

import { Liquid, type FS } from 'liquidjs'

export type TemplateFiles = Map<string, string>

export function createEngine(templates: TemplateFiles): Liquid {
  const fs: FS = {
    sep: '/',
    exists: async (file) => templates.has(file),
    existsSync: (file) => templates.has(file),
    readFile: async (file) => read(templates, file),
    readFileSync: (file) => read(templates, file),
    resolve: (_root, file, ext) => (file.endsWith(ext) ? file : `${file}${ext}`),
    contains: async () => true,
    containsSync: () => true,
    dirname: (file) => file.split('/').slice(0, -1).join('/'),
  }
  return new Liquid({
    fs,
    root: [''],
    extname: '.liquid',
    outputEscape: 'escape',
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    cache: true,
    greedy: false,
  })
}

function read(templates: TemplateFiles, file: string): string {
  const text = templates.get(file)
  if (text === undefined) throw new Error(`No template named ${file}`)
  return text
}
