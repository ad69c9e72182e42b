// The only stage that writes. The new site is written in full to a temporary
// sibling of the output folder, then swapped in by rename, so a failed or
// interrupted build leaves the previous site as it was.

import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export interface WriteOptions {
  outDir: string
  files: Map<string, string | Uint8Array>
  /** Folders whose files are copied as they are, in order; later ones win. */
  assetDirs: string[]
}

export async function writeSite(options: WriteOptions): Promise<void> {
  const outDir = path.resolve(options.outDir)
  const parent = path.dirname(outDir)
  const stamp = `${process.pid}-${Date.now().toString(36)}`
  const staging = path.join(parent, `.${path.basename(outDir)}-new-${stamp}`)
  const retired = path.join(parent, `.${path.basename(outDir)}-old-${stamp}`)

  await mkdir(parent, { recursive: true })
  try {
    await mkdir(staging)
    for (const dir of options.assetDirs) {
      await cp(dir, staging, { recursive: true, force: true, errorOnExist: false }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    }
    for (const [relative, content] of [...options.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = safeJoin(staging, relative)
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(target, content)
    }
    // Swap: the old site steps aside, the new one takes its name.
    const hadPrevious = await rename(outDir, retired).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw error
      },
    )
    try {
      await rename(staging, outDir)
    } catch (error) {
      if (hadPrevious) await rename(retired, outDir)
      throw error
    }
    if (hadPrevious) await rm(retired, { recursive: true, force: true })
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/** Join an output path, refusing anything that would land outside the folder. */
export function safeJoin(root: string, relative: string): string {
  const target = path.resolve(root, relative)
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new Error(`Refusing to write outside the output folder: ${relative}`)
  }
  return target
}
