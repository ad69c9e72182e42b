// Images and links to files that are not chapters: resolve them against the
// chapter's folder and the content folder's list of files. Every file that is
// found is marked on its node, so the renderer can point at the published copy
// and the writer copies just the files that are used; one that is missing is
// an error at the image or link.

import type { Definition, Image, ImageReference, Link, Root } from 'mdast'
import { visit } from '../markdown/visit.js'
import { createMessage, type Message } from '../messages.js'
import type { PublishProblem } from '../reserved.js'
import { hintFor } from '../suggest.js'
import type { PageFacts } from './collect.js'
import { relativePath } from './resolve.js'

declare module 'mdast' {
  interface ImageData {
    /** Content path of the file the image shows. */
    asset?: string
    /** The path as written, of an image whose file is missing (reported): shown as a placeholder. */
    missing?: string
  }
  interface LinkData {
    /** Content path of the file the link downloads. */
    asset?: string
  }
}

export interface ResolvedAssets {
  messages: Message[]
  /** Content paths of the files this page uses, in the order they appear. */
  used: string[]
}

/**
 * Mark every image and file link of a chapter with the content file it uses.
 * `refused` holds the content files that may not be published (reserved.ts),
 * each with the reason: using one is an error at its place.
 */
export function resolveAssets(
  tree: Root,
  page: PageFacts,
  assets: ReadonlySet<string>,
  refused: ReadonlyMap<string, PublishProblem> = new Map(),
  options: { rootRelative?: boolean } = {},
): ResolvedAssets {
  const messages: Message[] = []
  const used: string[] = []
  const definitions = new Map<string, Definition>()
  visit(tree, 'definition', (node: Definition) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
  })

  const use = (path: string) => {
    if (!used.includes(path)) used.push(path)
  }

  visit(tree, (node, index, parent) => {
    if (node.type === 'imageReference') {
      // A reference image is an image whose address sits in a definition: make it one.
      const definition = definitions.get((node as ImageReference).identifier)
      if (!definition || index === undefined || !parent) return
      const image: Image = { type: 'image', url: definition.url, alt: node.alt ?? '', title: definition.title ?? null }
      if (node.position) image.position = node.position
      parent.children.splice(index, 1, image)
      return index
    }
    if (node.type !== 'image' && node.type !== 'link') return
    // A link to a page (a notebook's, say) and an image the build makes are not content files.
    if ((node.type === 'link' && node.data?.target) || (node.type === 'image' && node.data?.output)) return
    const local = localPath(node.url)
    if (local === undefined) return
    // Links to chapters and anchors are resolve.ts's; here only files with another extension.
    if (node.type === 'link' && (local.path === '' || /\.md$/i.test(local.path) || !/\.[A-Za-z0-9]+$/.test(local.path))) return

    // In MyST projects `/images/a.png` is from the content folder.
    const fromRoot = local.path.startsWith('/')
    const target = joinInside(fromRoot ? '' : page.path, local.path)
    // A path that leaves the content folder, or starts at the server's root, is paths.ts's to report.
    if (target === undefined || (fromRoot && !options.rootRelative)) return
    const problem = refused.get(target)
    if (problem) {
      messages.push(
        createMessage(
          'file-publishable',
          page.file,
          node as Image | Link,
          `The ${node.type === 'image' ? 'image' : 'linked file'} \`${local.path}\` cannot be published: ${problem.reason}`,
          problem.hint,
        ),
      )
      // Where that does not stop the build (MyST projects), the page shows the path, never a link to nothing.
      if (node.type === 'image') node.data = { ...node.data, missing: local.path }
      else node.data = { ...node.data, unresolved: local.path }
      return
    }
    if (assets.has(target)) {
      node.data = { ...node.data, asset: target }
      use(target)
      return
    }
    const what = node.type === 'image' ? 'image' : 'linked file'
    // Where a missing file does not stop the build (MyST projects), the page shows what is missing instead.
    if (node.type === 'image') node.data = { ...node.data, missing: local.path }
    else node.data = { ...node.data, unresolved: local.path }
    messages.push(
      createMessage(
        node.type === 'image' ? 'image-exists' : 'link-target-exists',
        page.file,
        node as Image | Link,
        `The ${what} \`${local.path}\` does not exist (looked for ${contentDisplay(page, target)})`,
        hintFor(
          target,
          assets,
          `Put the file in the content folder (paths are relative to ${page.file}), or use a full https:// address.`,
          (path) => relativePath(page.path, path),
        ),
      ),
    )
    return
  })
  return { messages, used }
}

/** The path part of a URL that points at a local file, decoded; undefined for web addresses and data. */
function localPath(url: string): { path: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//') || url.startsWith('#')) return undefined
  const path = url.replace(/[?#].*$/, '')
  try {
    return { path: decodeURIComponent(path) }
  } catch {
    return { path }
  }
}

/** Resolve `relative` from the chapter at `from`, both content paths; undefined when it leaves the content folder. */
export function joinInside(from: string, relative: string): string | undefined {
  const parts = from.split('/').slice(0, -1)
  for (const part of relative.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/')
}

function contentDisplay(page: PageFacts, target: string): string {
  // `file` is the path shown to authors, ending in the content path: swap that ending for the target.
  const prefix = page.file.endsWith(page.path) ? page.file.slice(0, page.file.length - page.path.length) : ''
  return `${prefix}${target}`
}
