// The generator's copies of other projects' browser code, published in the
// site's assets/ folder only when a page needs them: Mermaid, for diagrams.
// Read from the installed package, never fetched, and copied as it is: one
// file per site, however many pages load it.

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Output path in the site, and the package file it is copied from. */
export const vendorFiles: Readonly<Record<string, string>> = {
  'assets/mermaid.min.js': 'mermaid/dist/mermaid.min.js',
}

/** Where an output path's file is installed, or undefined for any other path. */
export function vendorSource(output: string): string | undefined {
  const module = Object.hasOwn(vendorFiles, output) ? vendorFiles[output] : undefined
  return module === undefined ? undefined : require.resolve(module)
}

/** Mermaid's files, for a site with diagrams. */
export async function loadDiagramFiles(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const output of Object.keys(vendorFiles)) files.set(output, await readFile(vendorSource(output)!))
  return files
}
