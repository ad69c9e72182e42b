// HTML that our own code made from trusted generators (MathML from Temml,
// citations from the CSL engine), turned into hast elements so it passes the
// page's sanitizer like everything else. Inline styles are dropped: the site's
// style sheet does the styling, and pages allow no inline styles.

import type { ElementContent, Root } from 'hast'
import { raw } from 'hast-util-raw'
import { visit } from '../markdown/visit.js'

export function htmlToHast(html: string): ElementContent[] {
  const tree = raw({ type: 'root', children: [{ type: 'raw', value: html }] }) as Root
  visit(tree, 'element', (element) => {
    delete element.properties['style']
  })
  return tree.children.filter((child): child is ElementContent => child.type === 'element' || child.type === 'text')
}
