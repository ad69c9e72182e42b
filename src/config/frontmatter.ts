// Chapter front matter. Unknown keys are warnings, not errors: files shared
// with other tools carry keys of their own.

import matter from 'gray-matter'
import { z } from 'zod'
import type { Message } from '../messages.js'
import { maxTextLength } from './report.js'
import { readYaml, type Parsed } from './yaml.js'

const text = z.string().trim().min(1, 'must not be empty').max(maxTextLength)

export const frontMatterSchema = z
  .object({
    title: text.optional(),
    short_title: text.optional(),
    description: text.optional(),
  })
  .strict()

export type FrontMatter = z.output<typeof frontMatterSchema>

export function readFrontMatter(file: string, text: string, firstLine: number): Parsed<FrontMatter> {
  return readYaml({ file, text, firstLine }, frontMatterSchema, {
    unknownKeyRule: 'frontmatter-key-known',
    what: 'front matter',
    tolerateUnknownKeys: true,
  })
}

export interface SplitChapter {
  frontMatter: FrontMatter
  /** The chapter's text with its front matter blanked out: every offset, line and column is where it was in the file. */
  body: string
  messages: Message[]
}

/** A front matter block opens with a line of three dashes alone, as remark-frontmatter reads it; a name after them (`---js`) is never read. */
const openingFence = /^---[ \t]*\r?\n/
const restOfFence = /^[ \t]*(?:\r?\n|$)/

/**
 * Split a chapter into front matter and markdown with gray-matter, whose YAML
 * engine is our own reader: YAML 1.2, positions kept, so errors name the line
 * in the chapter. gray-matter's other engines (one runs JavaScript) are never used.
 */
export function splitFrontMatter(file: string, text: string): SplitChapter {
  const messages: Message[] = []
  if (!openingFence.test(text)) return { frontMatter: {}, body: text, messages }
  let frontMatter: FrontMatter = {}
  const refuse = () => {
    throw new Error('front matter is read as YAML only')
  }
  const split = matter(text, {
    language: 'yaml',
    engines: {
      yaml: (block: string) => {
        // The block starts with the rest of the opening line; YAML starts on line 2.
        const parsed = readFrontMatter(file, block.slice(block.indexOf('\n') + 1), 2)
        messages.push(...parsed.messages)
        frontMatter = parsed.value ?? {}
        return {}
      },
      js: refuse,
      javascript: refuse,
      json: refuse,
    },
  })
  // Only a block closed by a line of three dashes alone is front matter, as remark-frontmatter has it.
  const none = { frontMatter: {}, body: text, messages: [] }
  if (split.content === text || !text.endsWith(split.content)) return none
  let end = text.length - split.content.length
  if (!/\n---\r?\n$/.test(text.slice(0, end))) {
    const rest = restOfFence.exec(split.content)?.[0]
    if (rest === undefined || !text.slice(0, end).endsWith('\n---')) return none
    end += rest.length
  }
  return { frontMatter, body: text.slice(0, end).replace(/[^\r\n]/g, ' ') + text.slice(end), messages }
}
