// Chapter front matter. Unknown keys are warnings, not errors: files shared
// with other tools carry keys of their own.

import { z } from 'zod'
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
