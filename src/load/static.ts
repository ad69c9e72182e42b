// Read the static-file folders (public/) as they will be published, so the
// privacy guard can read them too. Later folders win, as when they are copied;
// links that lead outside their folder are skipped here and reported by
// links.ts.

import { readdir, readFile, realpath } from 'node:fs/promises'
import path from 'node:path'

export async function readStaticFiles(dirs: readonly string[]): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const dir of dirs) {
    const root = await realpath(dir).catch(() => undefined)
    if (root === undefined) continue
    const entries = await readdir(root, { recursive: true, withFileTypes: true })
    for (const entry of entries) {
      if (!entry.isFile() && !entry.isSymbolicLink()) continue
      const full = path.join(entry.parentPath, entry.name)
      const real = await realpath(full).catch(() => undefined)
      if (real === undefined || !real.startsWith(root + path.sep)) continue
      const content = await readFile(full).catch(() => undefined)
      if (content) files.set(path.relative(root, full).split(path.sep).join('/'), content)
    }
  }
  return files
}
