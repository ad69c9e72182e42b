// Directives that show something made elsewhere: a page of another site in a
// sandboxed frame (`{iframe}`), a diagram drawn in the reader's browser
// (`{mermaid}`), and a labelled block shown again (`{embed}`). Frames are the
// only way content can put an <iframe> on a page; what they may load, and the
// policy that lets them, is in SECURITY.md.

import type { Paragraph, Parent, PhrasingContent, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { SKIP, visit } from '../markdown/visit.js'
import { createMessage } from '../messages.js'
import { frameOrigin } from '../render/sanitize.js'
import type { FlowContent } from '../markdown/nodes.js'
import { labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'
import { labelled } from './figures.js'
import type { Diagram, Embed, Figure, Frame } from './nodes.js'

function frameWidth(written: string | undefined): Frame['width'] {
  const value = written?.trim() ?? ''
  const pixels = /^(\d{1,4})(?:px)?$/.exec(value)?.[1]
  if (pixels) return { pixels: Number(pixels) }
  const percent = /^(\d{1,3})(?:\.\d+)?%$/.exec(value)?.[1]
  // The style sheet has widths in steps of a quarter of the column.
  if (percent) return { percent: Math.min(100, Math.max(25, Math.round(Number(percent) / 25) * 25)) }
  return undefined
}

function iframe(call: DirectiveCall): RootContent[] {
  const src = call.arg.trim()
  const caption = call.parseBody()
  const captionText = toString({ type: 'root', children: caption }).replace(/\s+/g, ' ').trim()
  if (frameOrigin(src) === undefined) {
    call.context.messages.push(
      createMessage(
        'iframe-source-valid',
        call.context.file.display,
        call.argPlace,
        src === '' ? '`{iframe}` names no page to show' : `\`{iframe}\` can only show an https:// page of another site, not \`${src.length > 80 ? `${src.slice(0, 77)}...` : src}\`; it is shown as a link`,
        'Give the full https:// address of the page to embed, such as https://www.youtube.com/embed/VIDEO-ID.',
      ),
    )
    // A web address is still offered as a link; anything else as the text it is.
    const link: PhrasingContent = /^https?:\/\//i.test(src) && URL.canParse(src) ? { type: 'link', url: src, title: null, children: [{ type: 'text', value: src }] } : { type: 'text', value: src }
    return labelled(call, [{ type: 'paragraph', children: src === '' ? [] : [link] }, ...caption])
  }
  const title = call.options['title']?.trim() || captionText || `Page embedded from ${new URL(src).hostname}`
  const frame: Frame = { type: 'iframe', src, title, width: frameWidth(call.options['width']) }
  if (call.node.position) frame.position = call.node.position
  if (caption.length === 0) return labelled(call, [frame])
  // With a body, the frame is a figure and the body its caption, as in MyST.
  const [first, ...legend] = caption
  const figure: Figure = {
    type: 'figure',
    kind: 'figure',
    label: labelOf(call),
    caption: first?.type === 'paragraph' ? first.children : undefined,
    children: [frame, ...((first?.type === 'paragraph' ? legend : caption) as FlowContent[])],
  }
  if (call.node.position) figure.position = call.node.position
  return [figure]
}

function mermaid(call: DirectiveCall): RootContent[] {
  const value = call.body.replace(/\n+$/, '')
  if (value.trim() === '') {
    call.context.messages.push(
      createMessage('directive-has-content', call.context.file.display, call.node, '`{mermaid}` has no diagram in its body', 'Write the diagram in Mermaid\'s syntax inside the directive, such as `flowchart LR` and `A --> B`.'),
    )
    return []
  }
  const node: Diagram = { type: 'mermaid', value }
  if (call.node.position) node.position = call.node.position
  return labelled(call, [node])
}

/** A node that shows the block labelled `label` again, once every page's blocks are known (site/embeds.ts). */
export function embedOf(label: string, call: DirectiveCall | undefined): Embed {
  const node: Embed = { type: 'embed', label: label.replace(/^#/, '').trim(), children: [] }
  if (call?.node.position) node.position = call.node.position
  return node
}

/** `![](#label)` alone in a paragraph shows the labelled block there, as `{embed}` does. */
export function transformEmbedImages(tree: Parent): void {
  visit(tree, 'paragraph', (node: Paragraph, index, parent: Parent | undefined) => {
    const [only, ...more] = node.children
    if (!parent || index === undefined || more.length > 0 || only?.type !== 'image' || !/^#[^\s#]+$/.test(only.url)) return undefined
    const embed: Embed = { type: 'embed', label: only.url.slice(1), children: [] }
    if (node.position) embed.position = node.position
    parent.children[index] = embed
    return SKIP
  })
}

export const mediaSpecs: Record<string, DirectiveSpec> = {
  iframe: { options: ['width', 'align', 'title', 'placeholder'], build: iframe },
  mermaid: { options: [], build: mermaid },
  embed: {
    options: ['remove-input', 'remove-output'],
    build(call) {
      if (call.arg.trim() !== '') return labelled(call, [embedOf(call.arg, call)])
      call.context.messages.push(createMessage('directive-has-content', call.context.file.display, call.node, '`{embed}` names no label to show', 'Give the label of the block to show again: `:::{embed} #my-figure`.'))
      return []
    },
  },
}
