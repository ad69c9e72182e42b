// The generator's files that only sites with diagrams publish, in their
// assets/ folder: Mermaid, read from the generator's own installed `mermaid`
// package (never fetched), and the small script that has it draw each diagram.
// Each is copied as it is: one file per site, however many pages load it.

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { diagramScriptFile, packageRoot } from '../root.js'

const require = createRequire(path.join(packageRoot, 'package.json'))

/** Output path in the site, and where the file is found when asked for. */
const diagramFiles: Readonly<Record<string, () => string>> = {
  'assets/mermaid.min.js': () => require.resolve('mermaid/dist/mermaid.min.js'),
  'assets/diagrams.js': () => diagramScriptFile,
}

/** Where the file published at `output` is read from, or undefined for any other path. */
export function vendorSource(output: string): string | undefined {
  return Object.hasOwn(diagramFiles, output) ? diagramFiles[output]!() : undefined
}

/** The files of a site with diagrams, by output path. */
export async function loadDiagramFiles(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const [output, source] of Object.entries(diagramFiles)) files.set(output, await readFile(source()))
  return files
}
