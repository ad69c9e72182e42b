// What a page body holds that the page around it must allow for: frames of
// other sites (each origin goes into the page's frame-src) and diagrams drawn
// in the browser (the page then loads Mermaid). Read from the sanitized body,
// so only what survives the allowlist counts, whoever wrote it; the template
// guard reads a whole page the same way (theme/guard.ts).

import type { Element, Root } from 'hast'
import { visit } from '../markdown/visit.js'
import { frameOrigin, frameSandbox } from './sanitize.js'

export interface PageFeatures {
  /** Origins of the page's frames, sorted, each once. */
  frames: string[]
  /** Whether the page has a diagram for Mermaid to draw. */
  diagrams: boolean
}

export function noFeatures(): PageFeatures {
  return { frames: [], diagrams: false }
}

/** Add what a sanitized body holds to `into`. */
export function findFeatures(tree: Root, into: PageFeatures): void {
  const frames = new Set(into.frames)
  visit(tree, 'element', (node: Element) => {
    // Only a frame sandboxed as the sanitizer makes it counts (render/sanitize.ts).
    const sandbox = node.properties['sandbox']
    const sandboxed = Array.isArray(sandbox) && sandbox.every((flag) => frameSandbox.includes(String(flag)))
    if (node.tagName === 'iframe' && sandboxed) {
      const origin = frameOrigin(String(node.properties['src'] ?? ''))
      if (origin) frames.add(origin)
    }
    const classes = node.properties['className']
    if (Array.isArray(classes) && classes.includes('diagram-mermaid')) into.diagrams = true
  })
  into.frames = [...frames].sort()
}

/** What several bodies shown on one page hold together (the full report). */
export function joinFeatures(list: readonly (PageFeatures | undefined)[]): PageFeatures {
  const frames = new Set<string>()
  let diagrams = false
  for (const features of list) {
    for (const origin of features?.frames ?? []) frames.add(origin)
    diagrams ||= features?.diagrams ?? false
  }
  return { frames: [...frames].sort(), diagrams }
}
